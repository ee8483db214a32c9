using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

public sealed class DnsQueryWriterTests
{
    [Fact]
    public void Query_without_edns_is_header_plus_one_question_with_rd_set()
    {
        byte[] expected =
        [
            0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ID, RD, QD=1, AN=NS=AR=0
            6, (byte)'m', (byte)'a', (byte)'t', (byte)'r', (byte)'i', (byte)'x',
            7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
            4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0,
            0x00, 0x21, 0x00, 0x01, // QTYPE=SRV, QCLASS=IN
        ];

        Assert.Equal(expected, DnsQueryWriter.Build(0xBEEF, "matrix.example.test", DnsRecordType.SRV, edns: false));
    }

    [Fact]
    public void Query_with_edns_adds_an_opt_record_advertising_1232_bytes()
    {
        var query = DnsQueryWriter.Build(0x0102, "a.test", DnsRecordType.AAAA, edns: true);

        Assert.Equal(Wire.Header(flags: 0x0100, qd: 1, ar: 1, id: 0x0102), query[..12]);
        Assert.Equal(Wire.Question("a.test", DnsRecordType.AAAA), query[12..24]);
        Assert.Equal(new byte[] { 0, 0x00, 0x29, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 }, query[24..]);
    }

    [Theory]
    [InlineData("Matrix.Example.TEST.")]
    [InlineData("matrix.example.test")]
    public void Names_are_sent_lower_case_without_the_trailing_dot(string name)
    {
        var query = DnsQueryWriter.Build(1, name, DnsRecordType.A, edns: false);

        Assert.Equal(Wire.Question("matrix.example.test", DnsRecordType.A), query[12..]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..test")]
    [InlineData("caf\u00e9.test")]
    [InlineData("has space.test")]
    public void Invalid_names_are_rejected_before_anything_is_sent(string name) =>
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.Build(1, name, DnsRecordType.A, edns: false));

    [Fact]
    public void Label_of_64_characters_and_name_over_255_octets_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.Build(1, new string('a', 64) + ".test", DnsRecordType.A, false));
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)); // 4 * 64 + 1 = 257 octets
        Assert.Throws<ArgumentException>(() => DnsQueryWriter.Build(1, longName, DnsRecordType.A, false));
        DnsQueryWriter.Build(1, new string('a', 63) + ".test", DnsRecordType.A, false); // the limit itself is fine
    }

    [Fact]
    public void Ids_come_from_a_random_source()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => DnsQueryWriter.NewId()).ToHashSet();

        // 64 draws from 65536 values: a repeat-heavy or sequential source would show; a CSPRNG collides rarely.
        Assert.True(ids.Count > 56, $"only {ids.Count} distinct IDs in 64 draws");
        Assert.False(ids.Order().Zip(ids.Order().Skip(1)).All(p => p.Second - p.First == 1), "IDs are sequential");
    }
}
