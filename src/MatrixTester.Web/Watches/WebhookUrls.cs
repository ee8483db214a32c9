using System.Net;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Web.Watches;

/// <summary>What a webhook URL must look like before it is stored. The address it resolves to is checked again at every connection.</summary>
public static class WebhookUrls
{
    public const int MaxLength = 2048;

    public static string? Problem(string url, AddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "webhook must be an absolute URL (https://hooks.example.org/matrix).";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && policy.AllowPrivateNetworks))
        {
            return "webhook must use https:// (alerts carry a signature, but their content should not travel in the clear).";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return "webhook must not contain credentials or a #fragment; authenticate alerts by their signature header.";
        }
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && policy.Check(address) is { Allowed: false } decision)
        {
            return $"webhook points at {address}, a {decision.Range}: this site does not connect to private networks.";
        }
        return null;
    }
}
