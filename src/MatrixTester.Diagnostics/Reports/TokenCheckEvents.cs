using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>A token request for our test user is about to go to an authorization service.</summary>
public sealed record TokenCheckWaitingEvent(string ServiceUrl, string UserId) : DiagnosisEvent
{
    public override string Stage => "rtc-token-waiting";

    public override string Summary => $"Asking the call authorization service at {ServiceUrl} for a call token for our test user {UserId}; waiting for it to verify the user with us…";
}

/// <summary>An authorization service called our userinfo endpoint with the token we gave it (on any instance).</summary>
public sealed record TokenCheckCallbackEvent(OpenIdCallback Callback) : DiagnosisEvent
{
    public override string Stage => "rtc-token-callback";

    public override string Summary => Describe(Callback);

    /// <summary>The live line, also used for the stored report's page.</summary>
    public static string Describe(OpenIdCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return $"Calls: the authorization service verified our test user (it asked our server from {callback.RemoteAddress} over {callback.AddressFamily}{(string.IsNullOrEmpty(callback.UserAgent) ? "" : $", {callback.UserAgent}")} after {callback.AtMs} ms)";
    }
}

/// <summary>The call token check finished (or could not run).</summary>
public sealed record TokenCheckEvent(TokenCheckReport TokenCheck) : DiagnosisEvent
{
    public override string Stage => "rtc-token";

    public override string Summary => TokenCheck.Summary;
}
