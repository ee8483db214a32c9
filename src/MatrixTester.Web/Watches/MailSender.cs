using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MatrixTester.Web.Watches;

/// <summary>Plain-text mail through the configured relay (Monitoring:Smtp), one connection per mail.</summary>
public sealed class MailSender(IOptions<MonitoringOptions> options, TimeProvider time)
{
    public bool Configured => options.Value.Smtp.Configured && options.Value.PublicUrl is not null;

    public async Task SendAsync(string to, string subject, string body, string unsubscribeUrl, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        // RFC 2369 / RFC 8058: mail clients show their own "unsubscribe" button for these.
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = new TextPart("plain") { Text = body };

        using var timer = new CancellationTokenSource(smtp.Timeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        // MailKit's own per-read/write socket timeout takes only milliseconds; the token above bounds the whole mail.
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp.Security), timeout.Token);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", timeout.Token);
        }
        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
