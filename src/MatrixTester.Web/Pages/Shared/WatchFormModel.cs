namespace MatrixTester.Web.Pages;

/// <summary>
/// "Watch this server": the server name, and what the visitor typed last time (kept when the form comes back with a
/// problem, so nothing has to be typed twice).
/// </summary>
public sealed record WatchFormModel(string ServerName, string? Email = null, string? Webhook = null);
