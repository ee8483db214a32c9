using MatrixTester.Diagnostics;
using MatrixTester.Web.Diagnoses;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

public sealed record WatchRequest(string? ServerName, string? Email, string? Webhook);

/// <summary>One watch as the creator sees it once: the webhook secret is never shown again.</summary>
public sealed record CreatedWatch(string Id, string Kind, string Status, string? Secret, string UnsubscribeUrl);

/// <summary>Created watches, or why not: <see cref="Problem"/> with an HTTP status (400, 409, 503).</summary>
public sealed record WatchOutcome(string? ServerName, IReadOnlyList<CreatedWatch> Created, string? Problem = null, int Status = 201);

/// <summary>Creating, confirming and ending watches: the rules the API and the result page's form share.</summary>
public sealed class WatchSubscriptions(
    WatchStore store, WatchSchedule schedule, MailSender mail, WebhookSender webhooks, ServerNameInput input,
    IOptions<MonitoringOptions> options, TimeProvider time)
{
    public async Task<WatchOutcome> CreateAsync(WatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (input.Problem(request.ServerName) is { } tooLong)
        {
            return Refuse(null, tooLong);
        }
        if (!ServerName.TryParse(request.ServerName!, out var name, out var why))
        {
            return Refuse(null, $"server_name is not a valid Matrix server name: {why.Message}");
        }
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim().ToLowerInvariant();
        var webhook = string.IsNullOrWhiteSpace(request.Webhook) ? null : request.Webhook.Trim();
        if (email is null && webhook is null)
        {
            return Refuse(name.Text, "Give an email address, a webhook URL, or both.");
        }
        if (email is not null && EmailProblem(email) is { } badEmail)
        {
            return Refuse(name.Text, badEmail, badEmail.StartsWith("This site", StringComparison.Ordinal) ? 503 : 400);
        }
        if (webhook is not null && WebhookUrls.Problem(webhook, webhooks.Policy) is { } badUrl)
        {
            return Refuse(name.Text, badUrl);
        }
        var limits = options.Value;
        var adding = (email is null ? 0 : 1) + (webhook is null ? 0 : 1);
        if (await store.CountForServerAsync(name.Text, cancellationToken) + adding > limits.MaxWatchesPerServer)
        {
            return Refuse(name.Text, $"{name.Text} already has the most watches this site keeps for one server ({limits.MaxWatchesPerServer}).", 409);
        }
        if (email is not null && await store.CountForMailboxAsync(MailAddresses.Mailbox(email), cancellationToken) >= limits.MaxWatchesPerEmail)
        {
            return Refuse(name.Text, $"This mailbox already watches the most servers this site allows ({limits.MaxWatchesPerEmail}; addresses that differ only by a +tag count as one).", 409);
        }
        // Before anything is stored or mailed: a webhook that does not answer the handshake gets nothing, not even half a watch.
        if (webhook is not null && await webhooks.VerifyAsync(webhook, name.Text, cancellationToken) is { } unverified)
        {
            return Refuse(name.Text, $"The webhook did not confirm that it wants these alerts: {unverified}. It must answer the verification request by giving its challenge back (see /docs/monitoring#webhook-verification).");
        }
        var created = new List<CreatedWatch>();
        if (email is not null)
        {
            try
            {
                created.Add(await AddEmailAsync(name.Text, email, cancellationToken));
            }
            catch (Exception e) when (AlertSender.IsDeliveryFailure(e))
            {
                return Refuse(name.Text, "The confirmation mail could not be sent just now; nothing was stored. Try again later.", 503);
            }
        }
        if (webhook is not null)
        {
            created.Add(await AddWebhookAsync(name.Text, webhook, cancellationToken));
        }
        return new WatchOutcome(name.Text, created);
    }

    /// <summary>The watch the token confirms (now active), or null for an unknown or spent token.</summary>
    public async Task<Watch?> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        if (!WatchTokens.LooksLikeToken(token) || await store.FindByConfirmTokenAsync(token!, cancellationToken) is not { } watch)
        {
            return null;
        }
        await store.ConfirmAsync(watch.Id, time.GetUtcNow(), cancellationToken);
        await schedule.EnsureAsync(watch.ServerName, cancellationToken);
        return watch;
    }

    public async Task<Watch?> FindForUnsubscribeAsync(string? token, CancellationToken cancellationToken) =>
        WatchTokens.LooksLikeToken(token) ? await store.FindByUnsubscribeTokenAsync(token!, cancellationToken) : null;

    /// <summary>Ends the watch; its server's schedule stops by itself at the next check if nobody else watches.</summary>
    public async Task<Watch?> UnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        if (await FindForUnsubscribeAsync(token, cancellationToken) is not { } watch)
        {
            return null;
        }
        await store.DeleteAsync(watch.Id, cancellationToken);
        return watch;
    }

    private async Task<CreatedWatch> AddEmailAsync(string serverName, string email, CancellationToken cancellationToken)
    {
        var confirm = WatchTokens.New();
        var watch = new Watch(WatchTokens.New()[..16], serverName, email, null, null, WatchTokens.Hash(confirm), WatchTokens.New(), time.GetUtcNow(), null, SubscriberLanguage);
        await store.AddAsync(watch, cancellationToken);
        var unsubscribe = UnsubscribeUrl(watch);
        try
        {
            await mail.SendAsync(email, SiteText.Format("mail.confirm.subject", serverName),
                AlertText.ConfirmationBody(serverName, options.Value.Link($"/watches/confirm?token={confirm}"), unsubscribe, options.Value.Interval),
                unsubscribe, cancellationToken);
        }
        catch
        {
            // No mail, no way to confirm: do not keep a watch nobody can ever activate.
            await store.DeleteAsync(watch.Id, CancellationToken.None);
            throw;
        }
        return new CreatedWatch(watch.Id, "email", "pending_confirmation", null, unsubscribe);
    }

    private async Task<CreatedWatch> AddWebhookAsync(string serverName, string url, CancellationToken cancellationToken)
    {
        var secret = WatchTokens.New();
        var watch = new Watch(WatchTokens.New()[..16], serverName, null, url, secret, null, WatchTokens.New(), time.GetUtcNow(), time.GetUtcNow(), SubscriberLanguage);
        await store.AddAsync(watch, cancellationToken);
        await schedule.EnsureAsync(serverName, cancellationToken);
        return new CreatedWatch(watch.Id, "webhook", "active", secret, UnsubscribeUrl(watch));
    }

    private string UnsubscribeUrl(Watch watch) => options.Value.Link($"/watches/unsubscribe?token={watch.UnsubscribeToken}");

    private string? EmailProblem(string email) =>
        !mail.Configured ? "This site does not send mail (no Monitoring:Smtp:Host or Site:PublicUrl is configured); use a webhook."
        : MailAddresses.Problem(email);

    private static WatchOutcome Refuse(string? serverName, string problem, int status = 400) => new(serverName, [], problem, status);

    /// <summary>The language of the request that subscribes (the site's, or the API client's Accept-Language).</summary>
    private static string SubscriberLanguage =>
        MatrixTester.Diagnostics.Languages.Match(System.Globalization.CultureInfo.CurrentUICulture.Name, allowPseudo: true) ?? MatrixTester.Diagnostics.Languages.English;
}
