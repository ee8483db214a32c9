using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Whether clients can hold calls (MatrixRTC) with this server's users. Its own verdict, never part of federation's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatrixRtcStatus>))]
public enum MatrixRtcStatus
{
    /// <summary>Call infrastructure is published the way current clients look for it, and nothing checked failed.</summary>
    Ready,
    /// <summary>Calls can work, for some clients or with a missing prerequisite (warnings say which).</summary>
    Partial,
    /// <summary>The server publishes no call infrastructure at all.</summary>
    NotOffered,
    /// <summary>Call infrastructure is published but something clients need fails (errors say what).</summary>
    Broken,
}
