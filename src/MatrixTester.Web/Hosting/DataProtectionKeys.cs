using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// The data-protection key ring (ASP.NET Core loads it at every start; Razor Pages protects the watch forms' hidden
/// tokens with it) lives in <c>data-protection-keys/</c> of the data directory, beside <c>results.db</c> and <c>signing.key</c>, so
/// it survives restarts and container replacements wherever the data directory does, instead of in the home folder of
/// whoever runs the site (ephemeral in a container). What <c>PersistKeysToFileSystem</c> does, but from the bound
/// options: the data directory is known only once configuration is complete.
/// </summary>
public static class DataProtectionKeys
{
    public const string Folder = "data-protection-keys";

    public static IServiceCollection AddSiteDataProtection(this IServiceCollection services)
    {
        // One name on every instance and install path (the default is the content root, which differs between
        // `dotnet run`, a published folder and the image).
        services.AddDataProtection().SetApplicationName("MatrixTester");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(Directory(storage.Value), logs));
        return services;
    }

    /// <summary>
    /// data-protection-keys/ in the data directory, created owner-only (0700) when missing: the keys are stored unencrypted (Linux has
    /// no machine key store to wrap them with), so, like signing.key, only the file system's permissions guard them.
    /// </summary>
    public static DirectoryInfo Directory(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var path = Path.GetFullPath(Path.Combine(storage.DataDirectory, Folder));
        try
        {
            // The data directory first, through the one place that creates it private: .NET gives parent
            // directories it creates on the way the default mode, not the one asked for.
            DataFiles.EnsureDirectory(storage.DataDirectory);
            DataFiles.EnsureDirectory(path);
            return new DirectoryInfo(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full data directory must not stop the site (the store reports its own outage); the key
            // ring then fails to load and ASP.NET Core logs that, and tries again on use.
            return new DirectoryInfo(path);
        }
    }
}
