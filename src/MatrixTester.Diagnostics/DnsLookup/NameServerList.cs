using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>Where the name servers come from: <c>Diagnosis:NameServers</c>, else the system's resolv.conf. Never a public fallback.</summary>
public static class NameServerList
{
    public const int DefaultPort = 53;

    public const string SystemResolvConfPath = "/etc/resolv.conf";

    /// <summary>
    /// The configured servers if any, else the system's. An empty result is valid: the client then answers
    /// <see cref="DnsOutcome.NoNameServers"/> instead of quietly asking a resolver the admin never chose.
    /// </summary>
    /// <exception cref="FormatException">A configured entry is not an IP address with an optional port.</exception>
    public static IReadOnlyList<IPEndPoint> Resolve(IEnumerable<string> configured, Func<string?> readResolvConf)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(readResolvConf);
        var servers = configured.Select(entry => ParseEntry(entry)).ToList();
        return servers.Count > 0 ? servers : ParseResolvConf(readResolvConf() ?? "");
    }

    /// <summary>Reads <see cref="SystemResolvConfPath"/>, or null when it does not exist or cannot be read.</summary>
    public static string? ReadSystemResolvConf()
    {
        try
        {
            return File.Exists(SystemResolvConfPath) ? File.ReadAllText(SystemResolvConfPath) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses <c>ip</c>, <c>ip:port</c>, <c>[v6]</c>, <c>[v6]:port</c> or a bare IPv6 address; the port defaults to 53.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="setting">Where the entry was given, as its complaint should name it (the site's setting, or a command-line option).</param>
    /// <exception cref="FormatException">The entry is anything else (host names are refused: resolving them needs DNS).</exception>
    public static IPEndPoint ParseEntry(string entry, string setting = "Diagnosis:NameServers entry")
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = entry.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                throw Bad(setting, entry, "a bracketed IPv6 address must look like [::1] or [::1]:5353");
            }
            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            (host, port) = (text[..colon], text[(colon + 1)..]);
        }
        else
        {
            host = text; // an IPv4 address, or an IPv6 address without a port
        }

        if (!IPAddress.TryParse(host, out var address) || (text.StartsWith('[') && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            throw Bad(setting, entry, "it must be an IP address (a host name would itself need DNS)");
        }
        if (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3)
        {
            throw Bad(setting, entry, "an IPv4 address needs four dotted numbers");
        }
        var portNumber = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw Bad(setting, entry, "the port must be a number from 1 to 65535");
        }
        return new IPEndPoint(address, portNumber);
    }

    /// <summary>
    /// The <c>nameserver</c> lines of a resolv.conf (resolv.conf(5)): one IP address each, port 53; comments start
    /// with '#' or ';'. Unparsable lines are skipped, as the system resolver does.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ParseResolvConf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var address))
            {
                servers.Add(new IPEndPoint(address, DefaultPort));
            }
        }
        return servers;
    }

    private static FormatException Bad(string setting, string entry, string why) =>
        new($"{setting} '{entry}' is not valid: {why}. Use ip, ip:port, [ipv6] or [ipv6]:port.");
}
