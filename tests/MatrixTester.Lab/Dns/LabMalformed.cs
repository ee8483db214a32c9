using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>Hand-built broken responses; each one breaks exactly one rule of RFC 1035 section 4.</summary>
public static class LabMalformed
{
    /// <summary>Where <see cref="LabMalformation.PointerPastEnd"/> points: beyond the message, within 512 bytes.</summary>
    public const int PastEndOffset = 0x100;

    private static readonly byte[] Loopback = [127, 0, 0, 1];

    public static byte[] Build(LabMalformation kind, LabRequest request)
    {
        switch (kind)
        {
            case LabMalformation.WrongId:
                return WellFormed(request with { Id = (ushort)(request.Id ^ 0x5A5A) });
            case LabMalformation.WrongQuestion:
                return Answer(LabResponder.Header(request, 0, 1, 0, "not-" + request.Name), w => w.Name(request.Name)).ToArray();
            case LabMalformation.NotAResponse:
                var bytes = WellFormed(request);
                bytes[2] &= 0x7F;
                return bytes;
            case LabMalformation.TruncatedHeader:
                return WellFormed(request)[..8];
            case LabMalformation.CompressionLoop:
            {
                // Owner name: the label "a", then a pointer back to that label — a name that never ends.
                var writer = LabResponder.Header(request, 0, 1, 0);
                var at = writer.Length;
                return Answer(writer, w => w.Bytes([1, (byte)'a']).U16(0xC000 | at)).ToArray();
            }
            case LabMalformation.ForwardPointer:
            {
                var writer = LabResponder.Header(request, 0, 1, 0);
                var ahead = writer.Length + 4; // inside the record's own fixed fields
                return Answer(writer, w => w.U16(0xC000 | ahead)).ToArray();
            }
            case LabMalformation.PointerPastEnd:
                return Answer(LabResponder.Header(request, 0, 1, 0), w => w.U16(0xC000 | PastEndOffset)).ToArray();
            case LabMalformation.PointerOutOfRange:
                return Answer(LabResponder.Header(request, 0, 1, 0), w => w.U16(0xFFFF)).ToArray();
            case LabMalformation.TruncatedRdata:
                return LabResponder.Header(request, 0, 1, 0).Name(request.Name)
                    .U16((ushort)DnsRecordType.A).U16(DnsQueryWriter.ClassIn).U32(300).U16(4).Bytes([127, 0]).ToArray();
            case LabMalformation.BadAddressLength:
                return LabResponder.Header(request, 0, 1, 0).Name(request.Name)
                    .U16((ushort)DnsRecordType.A).U16(DnsQueryWriter.ClassIn).U32(300).U16(3).Bytes([127, 0, 0]).ToArray();
            case LabMalformation.AnswerCountTooHigh:
                return Answer(LabResponder.Header(request, 0, 2, 0), w => w.Name(request.Name)).ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>A correct answer of type A 127.0.0.1 for the question (whatever type was asked).</summary>
    private static byte[] WellFormed(LabRequest request) =>
        Answer(LabResponder.Header(request, 0, 1, 0), w => w.Name(request.Name)).ToArray();

    /// <summary>One A record whose owner name is written by <paramref name="owner"/>.</summary>
    private static LabMessageWriter Answer(LabMessageWriter writer, Action<LabMessageWriter> owner)
    {
        owner(writer);
        return writer.U16((ushort)DnsRecordType.A).U16(DnsQueryWriter.ClassIn).U32(300).U16(4).Bytes(Loopback);
    }
}
