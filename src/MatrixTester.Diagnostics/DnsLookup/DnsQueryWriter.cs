using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>Encodes one-question queries (RFC 1035 section 4.1).</summary>
public static class DnsQueryWriter
{
    /// <summary>EDNS0 UDP payload size: the DNS Flag Day 2020 value, small enough to avoid IP fragmentation.</summary>
    public const ushort EdnsUdpPayloadSize = 1232;

    /// <summary>OPT pseudo-record type (RFC 6891 section 6.1.1).</summary>
    public const ushort OptType = 41;

    public const ushort ClassIn = 1;

    /// <summary>
    /// A fresh query ID from a CSPRNG. Together with the random source port the OS picks, it is what makes blind
    /// spoofing expensive (RFC 5452 section 9.2); a predictable counter would not.
    /// </summary>
    public static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(0, 0x10000);

    /// <summary>Builds a query with RD=1 (we talk to a recursive resolver or a lab server) and one question.</summary>
    /// <exception cref="ArgumentException">The name is not a valid DNS name.</exception>
    public static byte[] Build(ushort id, string name, DnsRecordType type, bool edns)
    {
        var labels = DnsNames.SplitLabels(name);
        var nameLength = labels.Sum(l => l.Length + 1) + 1;
        var buffer = new byte[12 + nameLength + 4 + (edns ? 11 : 0)];
        var span = buffer.AsSpan();

        // Header, RFC 1035 section 4.1.1: ID, flags (only RD), QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT.
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(edns ? 1 : 0));

        // Question, RFC 1035 section 4.1.2: QNAME as length-prefixed labels, QTYPE, QCLASS=IN.
        var pos = 12;
        foreach (var label in labels)
        {
            span[pos++] = (byte)label.Length;
            foreach (var c in label)
            {
                span[pos++] = (byte)c;
            }
        }
        span[pos++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[pos..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 2)..], ClassIn);
        pos += 4;

        if (edns)
        {
            // OPT RR, RFC 6891 section 6.1.2: root owner, TYPE=41, CLASS=payload size, TTL=0 (no DO bit), RDLEN=0.
            span[pos] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 1)..], OptType);
            BinaryPrimitives.WriteUInt16BigEndian(span[(pos + 3)..], EdnsUdpPayloadSize);
        }
        return buffer;
    }
}
