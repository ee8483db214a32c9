using System.Text;
using System.Text.Json;

namespace MatrixTester.Web.Watches;

/// <summary>The body of a verification request: <c>{type, server_name, challenge, sent_at}</c>.</summary>
public sealed record WebhookVerification(string Type, string ServerName, string Challenge, DateTimeOffset SentAt);

/// <summary>
/// The handshake a webhook passes before it gets any alert: one POST with a fresh random challenge, which the
/// receiver must give back, alone, in a 2xx answer — as the whole body, or as <c>{"challenge": "…"}</c>. An endpoint
/// that accepts any POST, or that echoes the request back, does not pass, so a watch cannot aim our alerts at a URL
/// that never asked for them. One attempt, on the same bounded connection path as alerts (address policy, no
/// redirects, timeout, a small cap on the answer read).
/// </summary>
public sealed partial class WebhookSender
{
    /// <summary>More than enough for the challenge in either form; longer answers do not pass.</summary>
    public const int MaxVerificationAnswerBytes = 1024;

    /// <summary>Null when <paramref name="url"/> answered the challenge; otherwise what it did instead, in words.</summary>
    public async Task<string?> VerifyAsync(string url, string serverName, CancellationToken cancellationToken)
    {
        var settings = _options.Value.Webhook;
        var challenge = WatchTokens.New();
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookVerification("verification", serverName, challenge, _time.GetUtcNow()), WebhookPayload.Json);
        using var timer = new CancellationTokenSource(settings.Timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventHeader, "verification");
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var answer = await ReadCappedAsync(response, MaxVerificationAnswerBytes, timeout.Token);
            var status = (int)response.StatusCode;
            return status is < 200 or >= 300 ? $"it answered HTTP {status}"
                : !GivesBack(answer, challenge) ? "its answer did not give the challenge back"
                : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"it did not answer within {settings.Timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    /// <summary>The answer is the challenge itself, or a JSON object with the challenge as its only member.</summary>
    internal static bool GivesBack(byte[] answer, string challenge)
    {
        if (answer.Length > MaxVerificationAnswerBytes)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(answer).Trim();
        if (text == challenge)
        {
            return true;
        }
        try
        {
            // A receiver's JSON is as foreign as a server's: half-character escapes must not make reading it throw.
            using var document = JsonDocument.Parse(MatrixTester.Diagnostics.LoneSurrogates.Replace(answer).Json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.EnumerateObject().Count() == 1
                && document.RootElement.TryGetProperty("challenge", out var given)
                && given.ValueKind == JsonValueKind.String && given.ValueEquals(challenge);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>At most <paramref name="cap"/> + 1 bytes of the answer: one more than allowed tells that it was longer.</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[cap + 1];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return buffer[..total];
    }
}
