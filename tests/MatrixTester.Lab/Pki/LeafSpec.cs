namespace MatrixTester.Lab.Pki;

/// <summary>Who signs a lab leaf.</summary>
public enum LabIssuer
{
    /// <summary>The trusted lab intermediate (root → intermediate → leaf).</summary>
    Intermediate,

    /// <summary>The leaf signs itself.</summary>
    SelfSigned,

    /// <summary>An intermediate under a second root that nobody trusts.</summary>
    OtherRoot,
}

/// <summary>Which key the leaf carries. ECDSA P-256 is the fast default; RSA only where a test needs it.</summary>
public enum LabKey
{
    EcdsaP256,
    Rsa2048,

    /// <summary>Too small for OpenSSL security level 2: the weak-key case.</summary>
    Rsa1024,
}

/// <summary>
/// Everything that can vary about a lab leaf. Validity is relative to the PKI's clock: by default from an hour
/// ago to 90 days ahead.
/// </summary>
public sealed record LeafSpec(IReadOnlyList<string> Names)
{
    public LabIssuer Issuer { get; init; } = LabIssuer.Intermediate;
    public LabKey Key { get; init; } = LabKey.EcdsaP256;
    public TimeSpan NotBeforeOffset { get; init; } = TimeSpan.FromHours(-1);
    public TimeSpan NotAfterOffset { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Sign with SHA-1 instead of SHA-256 (the weak-signature case).</summary>
    public bool Sha1Signature { get; init; }

    /// <summary>Send the intermediate after the leaf (false: the incomplete-chain case).</summary>
    public bool SendIntermediate { get; init; } = true;

    /// <summary>Subject CN; the first name when null.</summary>
    public string? CommonName { get; init; }
}
