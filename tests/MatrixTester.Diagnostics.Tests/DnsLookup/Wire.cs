using System.Text;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

/// <summary>Hand-assembles DNS messages byte by byte, so parser tests state exactly what is on the wire.</summary>
internal static class Wire
{
    public const ushort Id = 0xBEEF;

    /// <summary>QR=1, RD=1, RA=1, RCODE=0.</summary>
    public const int ResponseFlags = 0x8180;

    public static byte[] Name(string name) => name == "."
        ? [0]
        : [.. name.Split('.').SelectMany(l => (byte[])[(byte)l.Length, .. Encoding.ASCII.GetBytes(l)]), 0];

    public static byte[] Pointer(int offset) => U16(0xC000 | offset);

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    public static byte[] U32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    public static byte[] Header(int flags = ResponseFlags, int qd = 1, int an = 0, int ns = 0, int ar = 0, ushort id = Id) =>
        [.. U16(id), .. U16(flags), .. U16(qd), .. U16(an), .. U16(ns), .. U16(ar)];

    public static byte[] Question(string name, DnsRecordType type) => [.. Name(name), .. U16((int)type), .. U16(1)];

    public static byte[] Rr(byte[] owner, int type, byte[] rdata, uint ttl = 300, int @class = 1) =>
        [.. owner, .. U16(type), .. U16(@class), .. U32(ttl), .. U16(rdata.Length), .. rdata];

    /// <summary>Header + question for "example.test" A (the question name sits at offset 12) + the given records.</summary>
    public static byte[] Response(int answers, params byte[][] records) =>
        [.. Header(an: answers), .. Question("example.test", DnsRecordType.A), .. records.SelectMany(r => r)];

    public static DnsResponse? Parse(byte[] message, string name = "example.test", DnsRecordType type = DnsRecordType.A) =>
        DnsResponseParser.Parse(message, Id, name, type, out _);
}
