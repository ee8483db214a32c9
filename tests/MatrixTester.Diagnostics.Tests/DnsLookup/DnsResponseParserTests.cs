using System.Net;
using MatrixTester.Diagnostics.DnsLookup;
using static MatrixTester.Diagnostics.Tests.DnsLookup.Wire;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

public sealed class DnsResponseParserTests
{
    private const int QuestionName = 12; // offset of "example.test" in every Wire.Response
    private const int TestLabel = 12 + 8; // offset of the "test" label inside it
    private const int FirstAnswer = 12 + 14 + 4; // after the header, the 14-byte name, QTYPE and QCLASS

    [Fact]
    public void Answer_owner_compressed_to_the_question_name_is_decoded()
    {
        var message = Response(1, Rr(Pointer(QuestionName), 1, [192, 0, 2, 7]));

        var response = Parse(message);

        var record = Assert.IsType<AddressRecord>(Assert.Single(response!.Answers));
        Assert.Equal("example.test", record.Name);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), record.Address);
        Assert.Equal(0, response.Rcode);
        Assert.False(response.Truncated);
    }

    [Fact]
    public void Cname_target_made_of_labels_and_a_pointer_into_the_middle_of_a_name_is_decoded()
    {
        // "www" + pointer to "test" => www.test
        var message = Response(1, Rr(Pointer(QuestionName), 5, [3, (byte)'w', (byte)'w', (byte)'w', .. Pointer(TestLabel)]));

        var record = Assert.IsType<CnameRecord>(Assert.Single(Parse(message)!.Answers));

        Assert.Equal("www.test", record.Target);
    }

    [Fact]
    public void Srv_fields_are_read_in_rfc_2782_order_and_a_root_target_stays_a_dot()
    {
        var message = Response(2,
            Rr(Pointer(QuestionName), 33, [0, 10, 0, 5, 0x21, 0x90, .. Name("Matrix.Example.Test")]),
            Rr(Pointer(QuestionName), 33, [0, 0, 0, 0, 0, 0, 0]));

        var records = Parse(message)!.Answers.Cast<SrvRecord>().ToArray();

        Assert.Equal(new SrvRecord("example.test", 300, 10, 5, 8592, "matrix.example.test"), records[0]);
        Assert.Equal(".", records[1].Target);
    }

    [Fact]
    public void Aaaa_address_and_ttl_with_the_top_bit_set_read_as_zero()
    {
        var message = Response(1, Rr(Pointer(QuestionName), 28, IPAddress.IPv6Loopback.GetAddressBytes(), ttl: 0x80000001));

        var record = Assert.IsType<AddressRecord>(Assert.Single(Parse(message)!.Answers));

        Assert.Equal(IPAddress.IPv6Loopback, record.Address);
        Assert.Equal(0u, record.Ttl); // RFC 2181 section 8
    }

    [Fact]
    public void Unknown_types_other_classes_and_the_opt_record_are_skipped_by_rdlength()
    {
        byte[] message =
        [
            .. Header(an: 3, ar: 1), .. Question("example.test", DnsRecordType.A),
            .. Rr(Pointer(QuestionName), 16, [5, .. "hello"u8]), // TXT
            .. Rr(Pointer(QuestionName), 1, [10, 0, 0, 1], @class: 3), // CHAOS
            .. Rr(Pointer(QuestionName), 1, [10, 0, 0, 2]),
            .. Rr(Name("."), 41, [], ttl: 0, @class: 1232), // OPT
        ];

        var record = Assert.IsType<AddressRecord>(Assert.Single(Parse(message)!.Answers));

        Assert.Equal(IPAddress.Parse("10.0.0.2"), record.Address);
    }

    [Fact]
    public void Question_is_matched_case_insensitively()
    {
        byte[] message = [.. Header(), .. Question("EXAMPLE.Test", DnsRecordType.A)];

        Assert.NotNull(Parse(message, "example.TEST."));
    }

    public static TheoryData<string, byte[]> NotOurs => new()
    {
        { "wrong ID", [.. Header(id: Id ^ 1), .. Question("example.test", DnsRecordType.A)] },
        { "QR bit clear", [.. Header(flags: 0x0100), .. Question("example.test", DnsRecordType.A)] },
        { "other name", [.. Header(), .. Question("example.org", DnsRecordType.A)] },
        { "other type", [.. Header(), .. Question("example.test", DnsRecordType.AAAA)] },
        { "other class", [.. Header(), .. Name("example.test"), .. U16(1), .. U16(3)] },
        { "one byte", [0xBE] },
    };

    [Theory]
    [MemberData(nameof(NotOurs))]
    public void Messages_that_do_not_answer_our_question_are_ignored_not_trusted(string why, byte[] message)
    {
        var response = DnsResponseParser.Parse(message, Id, "example.test", DnsRecordType.A, out var reason);

        Assert.Null(response);
        Assert.False(string.IsNullOrEmpty(reason), why);
    }

    public static TheoryData<string, byte[], string> Broken => new()
    {
        { "pointer loop", Response(1, Rr([1, (byte)'a', .. Pointer(FirstAnswer)], 1, [1, 2, 3, 4])), "pointer" },
        { "pointer to itself", Response(1, Rr(Pointer(FirstAnswer), 1, [1, 2, 3, 4])), "forward" },
        { "forward pointer", Response(1, Rr(Pointer(FirstAnswer + 4), 1, [1, 2, 3, 4])), "forward" },
        { "pointer out of range", Response(1, Rr(Pointer(0x3FFF), 1, [1, 2, 3, 4])), "forward" },
        { "cut-off pointer", Response(1, [0xC0]), "cut off" },
        { "reserved label type", Response(1, Rr([0x40, .. Name("a")], 1, [1, 2, 3, 4])), "reserved" },
        { "rdata past the end", Response(1, [.. Pointer(QuestionName), .. U16(1), .. U16(1), .. U32(1), .. U16(4), 127, 0]), "declares 4 bytes" },
        { "A with 3 bytes", Response(1, Rr(Pointer(QuestionName), 1, [127, 0, 0])), "exactly 4" },
        { "AAAA with 4 bytes", Response(1, Rr(Pointer(QuestionName), 28, [127, 0, 0, 1])), "exactly 16" },
        { "CNAME rdlength longer than its name", Response(1, Rr(Pointer(QuestionName), 5, [.. Name("a.test"), 0])), "content takes" },
        { "answer count too high", Response(2, Rr(Pointer(QuestionName), 1, [1, 2, 3, 4])), "past the end" },
        { "header cut short", Header()[..8], "12-byte" },
        { "question cut short", [.. Header(), .. Name("example.test")], "ends at offset" },
        { "opcode not QUERY", [.. Header(flags: 0x8000 | (2 << 11)), .. Question("example.test", DnsRecordType.A)], "opcode" },
        { "two questions", [.. Header(qd: 2), .. Question("example.test", DnsRecordType.A)], "2 questions" },
        { "name over 255 octets", Response(1, Rr([.. Enumerable.Repeat<byte[]>([63, .. new byte[63].Select(_ => (byte)'a')], 4).SelectMany(l => l), 0], 1, [1, 2, 3, 4])), "255" },
        { "control byte in a label", Response(1, Rr([1, 0x07, 0], 1, [1, 2, 3, 4])), "0x07" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_responses_to_our_question_are_format_errors_not_hangs_or_crashes(string why, byte[] message, string expected)
    {
        var error = Assert.Throws<DnsFormatException>(() => Parse(message));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void Truncated_response_is_flagged_and_its_partial_records_are_not_read()
    {
        byte[] message = [.. Header(flags: ResponseFlags | 0x0200, an: 5), .. Question("example.test", DnsRecordType.A), 0xC0];

        var response = Parse(message);

        Assert.True(response!.Truncated);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public void Error_response_without_a_question_is_accepted_with_its_rcode()
    {
        var response = Parse(Header(flags: 0x8000 | 1, qd: 0));

        Assert.Equal(1, response!.Rcode);
    }
}
