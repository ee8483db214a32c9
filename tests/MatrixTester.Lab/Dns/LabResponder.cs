using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>A query as the lab server understood it.</summary>
public sealed record LabRequest(ushort Id, bool RecursionDesired, string Name, ushort Type, ushort? EdnsPayloadSize);

/// <summary>Turns a query into the bytes an authoritative server would send back (or null: stay silent).</summary>
public static class LabResponder
{
    /// <summary>Without EDNS0 a UDP response is capped at 512 bytes (RFC 1035 section 4.2.1).</summary>
    public const int ClassicUdpLimit = 512;

    public static LabRequest? ParseQuery(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new DnsWireReader(message);
            var id = reader.ReadUInt16();
            var flags = reader.ReadUInt16();
            var questions = reader.ReadUInt16();
            reader.ReadUInt16();
            reader.ReadUInt16();
            var additionals = reader.ReadUInt16();
            if ((flags & 0x8000) != 0 || questions != 1)
            {
                return null;
            }
            var name = reader.ReadName();
            var type = reader.ReadUInt16();
            reader.ReadUInt16();
            ushort? edns = null;
            if (additionals > 0 && reader.ReadName() == DnsNames.Root && reader.ReadUInt16() == DnsQueryWriter.OptType)
            {
                edns = reader.ReadUInt16();
            }
            return new LabRequest(id, (flags & 0x0100) != 0, name, type, edns);
        }
        catch (DnsFormatException)
        {
            return null;
        }
    }

    public static byte[]? Respond(LabZone zone, LabRequest request, LabTransport transport)
    {
        var entry = zone.Find(request.Name);
        if (entry is { Drop: true })
        {
            return null;
        }
        if (entry?.Malformation is { } kind)
        {
            return LabMalformed.Build(kind, request);
        }
        var (rcode, answers) = entry switch
        {
            null => ((int)LabRcode.NxDomain, []),
            { Rcode: { } forced } => (forced, []),
            _ => Answer(zone, request),
        };
        var full = Write(request, rcode, answers, truncated: false);
        var limit = Math.Max(ClassicUdpLimit, (int)(request.EdnsPayloadSize ?? 0));
        if (transport == LabTransport.Udp && (full.Length > limit || entry is { ForceTruncate: true }))
        {
            // RFC 2181 section 9: set TC and send what fits; we send no records at all, as many servers do.
            return Write(request, rcode, [], truncated: true);
        }
        return full;
    }

    /// <summary>
    /// RFC 1034 section 4.3.2: when the name has a CNAME and the query is not for CNAME, answer with the CNAME and
    /// carry on with its target while it is in the zone, stopping at a loop.
    /// </summary>
    private static (int Rcode, List<DnsRecord> Answers) Answer(LabZone zone, LabRequest request)
    {
        var answers = new List<DnsRecord>();
        var seen = new HashSet<string>();
        var current = request.Name;
        while (seen.Add(current))
        {
            var entry = zone.Find(current);
            if (entry is null || entry.Rcode is not null || entry.Drop || entry.Malformation is not null)
            {
                // A missing in-zone target gives NXDOMAIN alongside the CNAMEs (RFC 6604 section 3).
                return (entry is null ? (int)LabRcode.NxDomain : entry.Rcode ?? 0, answers);
            }
            var alias = entry.Records.OfType<CnameRecord>().FirstOrDefault();
            if (alias is not null && request.Type != (ushort)DnsRecordType.CNAME)
            {
                answers.Add(alias);
                if (!zone.ChaseCnames)
                {
                    break;
                }
                current = alias.Target;
                continue;
            }
            answers.AddRange(entry.Records.Where(r => TypeOf(r) == request.Type));
            break;
        }
        return (0, answers);
    }

    public static ushort TypeOf(DnsRecord record) => record switch
    {
        AddressRecord a => a.Address.GetAddressBytes().Length == 4 ? (ushort)DnsRecordType.A : (ushort)DnsRecordType.AAAA,
        CnameRecord => (ushort)DnsRecordType.CNAME,
        SrvRecord => (ushort)DnsRecordType.SRV,
        LabRawRecord raw => raw.Type,
        _ => 0,
    };

    /// <summary>Header (RFC 1035 section 4.1.1) and the echoed question; the caller adds the sections it announced.</summary>
    public static LabMessageWriter Header(LabRequest request, int flags, int answers, int additionals, string? questionName = null)
    {
        var writer = new LabMessageWriter()
            .U16(request.Id)
            .U16(0x8000 | 0x0400 | (request.RecursionDesired ? 0x0100 : 0) | flags)
            .U16(1).U16(answers).U16(0).U16(additionals);
        return writer.Name(questionName ?? request.Name).U16(request.Type).U16(DnsQueryWriter.ClassIn);
    }

    private static byte[] Write(LabRequest request, int rcode, List<DnsRecord> answers, bool truncated)
    {
        var edns = request.EdnsPayloadSize is not null;
        var writer = Header(request, rcode | (truncated ? 0x0200 : 0), answers.Count, edns ? 1 : 0);
        foreach (var record in answers)
        {
            writer.Record(record);
        }
        if (edns)
        {
            writer.Opt(DnsQueryWriter.EdnsUdpPayloadSize);
        }
        return writer.ToArray();
    }
}
