using System.Net;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>Decodes and validates a response against the query we sent (RFC 1035 section 4.1; RFC 5452 section 9.1).</summary>
public static class DnsResponseParser
{
    /// <summary>
    /// Returns null (with <paramref name="ignoredReason"/>) when the message is not a response to our query at all:
    /// wrong ID, QR bit clear, or a different question. Over UDP such datagrams may be stray or spoofed, so the
    /// caller keeps waiting. Throws <see cref="DnsFormatException"/> when the message is ours but broken.
    /// </summary>
    public static DnsResponse? Parse(ReadOnlySpan<byte> message, ushort expectedId, string name, DnsRecordType type, out string? ignoredReason)
    {
        ignoredReason = null;
        var reader = new DnsWireReader(message);
        if (message.Length < 2)
        {
            ignoredReason = $"a {message.Length}-byte datagram";
            return null;
        }
        var id = reader.ReadUInt16();
        if (id != expectedId)
        {
            ignoredReason = $"a response with ID {id} instead of {expectedId}";
            return null;
        }
        if (message.Length < 12)
        {
            throw new DnsFormatException($"The response is {message.Length} bytes, shorter than the 12-byte DNS header.");
        }

        // Flags, RFC 1035 section 4.1.1: QR(1) OPCODE(4) AA TC RD RA Z(3) RCODE(4).
        var flags = reader.ReadUInt16();
        if ((flags & 0x8000) == 0)
        {
            ignoredReason = "a message with the QR bit clear (a query, not a response)";
            return null;
        }
        var opcode = (flags >> 11) & 0xF;
        if (opcode != 0)
        {
            throw new DnsFormatException($"The response has opcode {opcode}; we sent a standard query (0).");
        }
        var truncated = (flags & 0x0200) != 0;
        var authoritative = (flags & 0x0400) != 0;
        var rcode = flags & 0xF;
        var questions = reader.ReadUInt16();
        var answers = reader.ReadUInt16();
        var authorities = reader.ReadUInt16();
        var additionals = reader.ReadUInt16();

        // Some servers drop the question from error responses (FORMERR, NOTIMP); accept that only with a non-zero RCODE.
        if (questions != 1 && !(questions == 0 && rcode != 0))
        {
            throw new DnsFormatException($"The response has {questions} questions; we asked exactly one.");
        }
        if (questions == 1 && !QuestionMatches(ref reader, name, type, out ignoredReason))
        {
            return null;
        }

        // A truncated UDP response may end mid-record (RFC 2181 section 9); its records are not used, TCP follows.
        if (truncated)
        {
            return new DnsResponse(id, true, authoritative, rcode, []);
        }

        var records = new List<DnsRecord>();
        for (var i = 0; i < answers; i++)
        {
            if (ReadRecord(ref reader) is { } record)
            {
                records.Add(record);
            }
        }
        for (var i = 0; i < authorities + additionals; i++)
        {
            ReadRecord(ref reader);
        }
        return new DnsResponse(id, false, authoritative, rcode, records);
    }

    private static bool QuestionMatches(ref DnsWireReader reader, string name, DnsRecordType type, out string? ignoredReason)
    {
        // RFC 5452 section 9.1: the question must echo ours (names compared case-insensitively; we lower-case both).
        var qname = reader.ReadName();
        var qtype = reader.ReadUInt16();
        var qclass = reader.ReadUInt16();
        var expected = DnsNames.Normalize(name);
        if (qname != expected || qtype != (ushort)type || qclass != DnsQueryWriter.ClassIn)
        {
            ignoredReason = $"a response for {qname} type {qtype} class {qclass} instead of {expected} {type} IN";
            return false;
        }
        ignoredReason = null;
        return true;
    }

    /// <summary>Reads one resource record (RFC 1035 section 4.1.3); returns null for types and classes we skip.</summary>
    private static DnsRecord? ReadRecord(ref DnsWireReader reader)
    {
        var owner = reader.ReadName();
        var type = reader.ReadUInt16();
        var @class = reader.ReadUInt16();
        var rawTtl = reader.ReadUInt32();
        var rdLength = reader.ReadUInt16();
        if (rdLength > reader.Remaining)
        {
            throw new DnsFormatException($"The record for {owner} (type {type}) declares {rdLength} bytes of data but only {reader.Remaining} remain.");
        }
        // RFC 2181 section 8: a TTL with the top bit set is treated as zero.
        var ttl = rawTtl > int.MaxValue ? 0 : rawTtl;
        var end = reader.Position + rdLength;
        if (@class != DnsQueryWriter.ClassIn || !Enum.IsDefined((DnsRecordType)type))
        {
            reader.ReadBytes(rdLength); // OPT, TXT, RRSIG, …: skipped by RDLENGTH.
            return null;
        }
        DnsRecord record = (DnsRecordType)type switch
        {
            DnsRecordType.A => new AddressRecord(owner, ttl, ReadAddress(ref reader, rdLength, 4, owner, "A")),
            DnsRecordType.AAAA => new AddressRecord(owner, ttl, ReadAddress(ref reader, rdLength, 16, owner, "AAAA")),
            DnsRecordType.CNAME => new CnameRecord(owner, ttl, reader.ReadName()),
            // RFC 2782: priority, weight, port, then an uncompressed target (we accept compression, as resolvers do).
            _ => new SrvRecord(owner, ttl, reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadName()),
        };
        if (reader.Position != end)
        {
            throw new DnsFormatException($"The {(DnsRecordType)type} record for {owner} declares {rdLength} bytes of data but its content takes {rdLength + reader.Position - end}.");
        }
        return record;
    }

    private static IPAddress ReadAddress(ref DnsWireReader reader, ushort rdLength, int expected, string owner, string kind)
    {
        if (rdLength != expected)
        {
            throw new DnsFormatException($"The {kind} record for {owner} has {rdLength} bytes of data; an {kind} record has exactly {expected}.");
        }
        return new IPAddress(reader.ReadBytes(expected));
    }
}
