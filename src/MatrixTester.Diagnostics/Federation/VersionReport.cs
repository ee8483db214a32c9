namespace MatrixTester.Diagnostics.Federation;

/// <summary><c>GET /_matrix/federation/v1/version</c>: the server software, or why it could not be read.</summary>
public sealed record VersionReport(string? Name, string? Version, string? Error);
