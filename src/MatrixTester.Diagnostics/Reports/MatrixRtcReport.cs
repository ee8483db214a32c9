using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// <c>matrixRtc</c> in the v2 report: whether the server is ready for calls (MatrixRTC). Here, the end-to-end token
/// check; the transports and per-service checks join it as their own members.
/// </summary>
public sealed record MatrixRtcReport(TokenCheckReport TokenCheck);
