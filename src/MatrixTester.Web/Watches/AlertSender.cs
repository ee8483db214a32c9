using System.Text.Json;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Web.Docs;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// The webhook body: <c>{server_name, verdict, previous, clients, calls, login, changes[], permalink, findings[],
/// sent_at}</c>; <c>verdict</c> and <c>previous</c> are the federation verdict, <c>clients</c>, <c>calls</c> and
/// <c>login</c> verdicts of their own (the last two null when they were not checked).
/// </summary>
public sealed record WebhookPayload(
    string ServerName,
    FederationState Verdict,
    FederationState? Previous,
    ClientsState Clients,
    Diagnostics.Client.MatrixRtcStatus? Calls,
    Diagnostics.Client.AuthStatus? Login,
    IReadOnlyList<AlertChange> Changes,
    string Permalink,
    IReadOnlyList<WebhookFinding> Findings,
    DateTimeOffset SentAt)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

public sealed record WebhookFinding(string Id, Severity Severity, string Summary, string? Subject, string Fix, string Docs);

/// <summary>Tells every confirmed watch of the server name: a mail or a signed webhook each; one failure does not stop the rest.</summary>
public sealed class AlertSender(MailSender mail, WebhookSender webhooks, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<AlertSender> logger)
{
    public async Task SendAsync(Alert alert, IReadOnlyList<Watch> watches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(watches);
        var body = JsonSerializer.SerializeToUtf8Bytes(Payload(alert), WebhookPayload.Json);
        foreach (var watch in watches)
        {
            try
            {
                if (watch.Email is { } email)
                {
                    var unsubscribe = options.Value.Link($"/watches/unsubscribe?token={watch.UnsubscribeToken}");
                    // In the language the subscriber used when subscribing.
                    var (subject, text) = MatrixTester.Diagnostics.Languages.In(watch.Language, () => (AlertText.Subject(alert), AlertText.Body(alert, options.Value, unsubscribe)));
                    await mail.SendAsync(email, subject, text, unsubscribe, cancellationToken);
                }
                else if (!await webhooks.SendAsync(watch, body, cancellationToken))
                {
                    continue; // each failed attempt is logged already
                }
                WatchLog.AlertSent(logger, alert.ServerName, watch.Kind, watch.Id, alert.Changes.Count);
            }
            catch (Exception e) when (IsDeliveryFailure(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                WatchLog.AlertFailed(logger, alert.ServerName, watch.Kind, watch.Id, e);
            }
        }
    }

    // A relay that is down or refuses us: logged per watch, the other watches still get theirs.
    internal static bool IsDeliveryFailure(Exception e) => e is IOException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException
        or MailKit.CommandException or MailKit.ProtocolException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
        or FormatException or MimeKit.ParseException;

    // The JSON encoding keeps the payload intact, but receivers post these texts into chats and logs as they are:
    // each is one line there too, as in the mail.
    private WebhookPayload Payload(Alert alert) => new(
        alert.ServerName,
        alert.Verdict,
        alert.Previous,
        alert.Reading.Clients.State,
        alert.Reading.Calls?.State,
        alert.Reading.Login?.State,
        [.. alert.Changes.Select(c => c with { Description = AlertText.Line(c.Description) })],
        alert.Permalink,
        [.. alert.Reading.Report.Findings.Where(f => f.Severity != Severity.Info)
            .Select(f => new WebhookFinding(f.Id, f.Severity, AlertText.Line(f.Summary), f.Subject is null ? null : AlertText.Line(f.Subject), AlertText.Line(f.Fix),
                options.Value.Link(FindingsTable.DocsLink(f.Docs))))],
        time.GetUtcNow());
}
