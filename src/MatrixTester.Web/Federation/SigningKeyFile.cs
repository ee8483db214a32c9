using System.Security.Cryptography;
using System.Text;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The long-term signing key file, in Synapse's format: one line <c>ed25519 &lt;version&gt; &lt;unpadded base64
/// seed&gt;</c>, so an operator can move a key between Synapse and the tester. Created on first start when missing,
/// readable by the site's user only (mode 0600). A file that exists but is not a key stops the site with a message:
/// silently making a new key would give each instance a different identity.
/// </summary>
public static class SigningKeyFile
{
    public static SigningKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                return Create(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance on the same shared volume created it a moment ago: use that one.
            }
        }
        return Parse(File.ReadAllText(path), path);
    }

    internal static SigningKey Parse(string text, string path)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3 || fields[0] != "ed25519")
        {
            throw Invalid(path, "expected one line \"ed25519 <version> <unpadded base64 seed>\" (Synapse's signing key format)");
        }
        if (!SigningKey.IsValidVersion(fields[1]))
        {
            throw Invalid(path, "the key version may only contain letters, digits and '_'");
        }
        if (!UnpaddedBase64.TryDecode(fields[2], out var seed, out _) || seed.Length != Ed25519.SeedLength)
        {
            throw Invalid(path, $"the seed must be {Ed25519.SeedLength} bytes of unpadded base64");
        }
        return new SigningKey("ed25519:" + fields[1], seed);
    }

    private static SigningKey Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            DataFiles.EnsureDirectory(directory);
        }
        var key = SigningKey.Generate("a_", 4);
        var seed = key.ExportSeed();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the seed is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.ASCII.GetBytes($"ed25519 {key.KeyId["ed25519:".Length..]} {UnpaddedBase64.Encode(seed)}\n"));
        }
        CryptographicOperations.ZeroMemory(seed);
        return key;
    }

    private static InvalidSettingException Invalid(string path, string why) =>
        new($"Federation:SigningKeyPath: {path} is not a signing key: {why}. Restore the deployment's key file, or delete it to create a new key (peers that cached the old one will not trust the new one until their cache expires).");
}
