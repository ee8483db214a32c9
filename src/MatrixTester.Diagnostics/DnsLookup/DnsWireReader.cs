using System.Buffers.Binary;
using System.Text;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>
/// A bounds-checked cursor over one DNS message. Every read checks the end of the data, so a short or lying
/// message becomes a <see cref="DnsFormatException"/> and never an out-of-range read.
/// </summary>
public ref struct DnsWireReader(ReadOnlySpan<byte> message)
{
    /// <summary>More pointer hops than any honest name needs (127 labels at most); stops pointer loops early.</summary>
    public const int MaxPointerHops = 64;

    private readonly ReadOnlySpan<byte> message = message;

    public int Position { get; private set; }

    public readonly int Remaining => message.Length - Position;

    public ushort ReadUInt16()
    {
        Need(2, "a 16-bit field");
        var value = BinaryPrimitives.ReadUInt16BigEndian(message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "a 32-bit field");
        var value = BinaryPrimitives.ReadUInt32BigEndian(message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count, $"{count} bytes of data");
        var bytes = message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>
    /// Reads a possibly compressed name (RFC 1035 section 4.1.4): lower-cased, without the trailing dot, the root as ".".
    /// Pointers must point strictly backwards; hops and total length are capped so a loop cannot hang us.
    /// </summary>
    public string ReadName()
    {
        var builder = new StringBuilder();
        var pos = Position;
        var jumped = false;
        var hops = 0;
        var wireLength = 1; // the terminating root label
        while (true)
        {
            if (pos >= message.Length)
            {
                throw new DnsFormatException($"A name at offset {Position} runs past the end of the message.");
            }
            var length = message[pos];
            switch (length & 0xC0)
            {
                case 0xC0:
                    if (pos + 1 >= message.Length)
                    {
                        throw new DnsFormatException($"A compression pointer at offset {pos} is cut off.");
                    }
                    var target = ((length & 0x3F) << 8) | message[pos + 1];
                    if (target >= pos)
                    {
                        throw new DnsFormatException($"A compression pointer at offset {pos} points forward to {target}; pointers must point to earlier data.");
                    }
                    if (++hops > MaxPointerHops)
                    {
                        throw new DnsFormatException($"A name at offset {Position} follows more than {MaxPointerHops} compression pointers (a pointer loop).");
                    }
                    if (!jumped)
                    {
                        Position = pos + 2;
                        jumped = true;
                    }
                    pos = target;
                    continue;
                case 0x00:
                    break;
                default:
                    // 0x40 and 0x80 are the extended/reserved label types (RFC 6891 section 5); nobody may send them.
                    throw new DnsFormatException($"A name at offset {pos} uses a reserved label type (0x{length:X2}).");
            }
            if (length == 0)
            {
                if (!jumped)
                {
                    Position = pos + 1;
                }
                return builder.Length == 0 ? DnsNames.Root : builder.ToString();
            }
            if (pos + 1 + length > message.Length)
            {
                throw new DnsFormatException($"A label at offset {pos} runs past the end of the message.");
            }
            wireLength += length + 1;
            if (wireLength > DnsNames.MaxNameLength)
            {
                throw new DnsFormatException($"A name at offset {Position} is longer than {DnsNames.MaxNameLength} octets (or its pointers loop).");
            }
            if (builder.Length > 0)
            {
                builder.Append('.');
            }
            foreach (var b in message.Slice(pos + 1, length))
            {
                var c = (char)b;
                if (!DnsNames.IsAllowed(c))
                {
                    throw new DnsFormatException($"A name at offset {pos} contains byte 0x{b:X2}, which we do not accept in a host name.");
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            pos += 1 + length;
        }
    }

    private readonly void Need(int count, string what)
    {
        if (count < 0 || Position + count > message.Length)
        {
            throw new DnsFormatException($"The message ends at offset {message.Length} where {what} was expected at offset {Position}.");
        }
    }
}
