using System.Buffers.Binary;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>
/// Writes DNS messages the way real servers do, including name compression (RFC 1035 section 4.1.4), so the client's
/// pointer handling is exercised by every lab answer. Independent of the client's own writer on purpose.
/// </summary>
public sealed class LabMessageWriter
{
    private readonly List<byte> bytes = [];
    private readonly Dictionary<string, int> suffixOffsets = [];

    public int Length => bytes.Count;

    public byte[] ToArray() => [.. bytes];

    public LabMessageWriter U16(int value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
        return this;
    }

    public LabMessageWriter U32(uint value) => U16((int)(value >> 16)).U16((int)(value & 0xFFFF));

    public LabMessageWriter Bytes(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            bytes.Add(b);
        }
        return this;
    }

    /// <summary>Writes a name, replacing the longest suffix already written by a pointer to it.</summary>
    public LabMessageWriter Name(string name, bool compress = true)
    {
        var labels = name == DnsNames.Root ? [] : name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var suffix = string.Join('.', labels[i..]);
            if (compress && suffixOffsets.TryGetValue(suffix, out var offset))
            {
                return U16(0xC000 | offset);
            }
            if (bytes.Count < 0x3FFF)
            {
                suffixOffsets.TryAdd(suffix, bytes.Count);
            }
            bytes.Add((byte)labels[i].Length);
            bytes.AddRange(labels[i].Select(c => (byte)c));
        }
        bytes.Add(0);
        return this;
    }

    /// <summary>Writes one resource record (RFC 1035 section 4.1.3) with its RDLENGTH filled in afterwards.</summary>
    public LabMessageWriter Record(DnsRecord record)
    {
        var type = record switch
        {
            AddressRecord a => a.Address.GetAddressBytes().Length == 4 ? (ushort)DnsRecordType.A : (ushort)DnsRecordType.AAAA,
            CnameRecord => (ushort)DnsRecordType.CNAME,
            SrvRecord => (ushort)DnsRecordType.SRV,
            LabRawRecord raw => raw.Type,
            _ => throw new ArgumentException($"Unknown record {record}.", nameof(record)),
        };
        Name(record.Name).U16(type).U16(DnsQueryWriter.ClassIn).U32(record.Ttl);
        var lengthAt = bytes.Count;
        U16(0);
        switch (record)
        {
            case AddressRecord a:
                Bytes(a.Address.GetAddressBytes());
                break;
            case CnameRecord c:
                Name(c.Target);
                break;
            case SrvRecord s:
                // RFC 2782 forbids compressing the SRV target; we obey, as BIND does.
                U16(s.Priority).U16(s.Weight).U16(s.Port).Name(s.Target, compress: false);
                break;
            case LabRawRecord r:
                Bytes(r.Data);
                break;
        }
        var rdLength = bytes.Count - lengthAt - 2;
        bytes[lengthAt] = (byte)(rdLength >> 8);
        bytes[lengthAt + 1] = (byte)rdLength;
        return this;
    }

    /// <summary>An EDNS0 OPT record advertising <paramref name="payloadSize"/> (RFC 6891 section 6.1.2).</summary>
    public LabMessageWriter Opt(ushort payloadSize) =>
        Bytes([0]).U16(DnsQueryWriter.OptType).U16(payloadSize).U32(0).U16(0);

    /// <summary>Overwrites a 16-bit field already written, e.g. a count or the ID.</summary>
    public void Patch(int offset, int value)
    {
        Span<byte> tmp = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(tmp, (ushort)value);
        bytes[offset] = tmp[0];
        bytes[offset + 1] = tmp[1];
    }
}
