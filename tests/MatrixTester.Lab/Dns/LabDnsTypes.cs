using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>RCODEs a lab name can answer with (RFC 1035 section 4.1.1).</summary>
public enum LabRcode
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
}

/// <summary>Broken or hostile responses the lab can send for a name, to prove the client rejects them.</summary>
public enum LabMalformation
{
    /// <summary>The answer's owner name is a label followed by a pointer back to that label: an endless name.</summary>
    CompressionLoop,
    /// <summary>The answer's owner name is a pointer to a later offset.</summary>
    ForwardPointer,
    /// <summary>The answer's owner name is a pointer past the end of the message.</summary>
    PointerOutOfRange,
    /// <summary>
    /// The answer's owner name is a pointer to <see cref="LabMalformed.PastEndOffset"/>: past the end of this short
    /// message, yet inside a typical 4 KiB receive buffer, where a client reusing buffers still holds earlier bytes.
    /// </summary>
    PointerPastEnd,
    /// <summary>An A record whose RDLENGTH says 4 but the message ends after 2 bytes of it.</summary>
    TruncatedRdata,
    /// <summary>An A record with 3 bytes of data.</summary>
    BadAddressLength,
    /// <summary>ANCOUNT says 2 but only one record follows.</summary>
    AnswerCountTooHigh,
    /// <summary>Only the first 8 bytes of the header.</summary>
    TruncatedHeader,
    /// <summary>A well-formed answer with the wrong ID: what a blind spoofer sends. The client must ignore it.</summary>
    WrongId,
    /// <summary>A well-formed answer to a different question. The client must ignore it.</summary>
    WrongQuestion,
    /// <summary>The QR bit is clear (a reflected query). The client must ignore it.</summary>
    NotAResponse,
}

public enum LabTransport
{
    Udp,
    Tcp,
}

/// <summary>One query the lab server received, in arrival order.</summary>
public sealed record LabQuery(string Name, DnsRecordType Type, LabTransport Transport);

/// <summary>A record of a type the client does not decode (TXT, MX, …), sent as raw RDATA.</summary>
public sealed record LabRawRecord(string Name, uint Ttl, ushort Type, byte[] Data) : DnsRecord(Name, Ttl);
