using System.Net;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// The data directory and the SQLite files in it, as the running site leaves them on disk: nobody but the site's user
/// may read the probes' private keys, webhook secrets and tokens they hold. Checked with the real file modes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFileModeTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_data_directory_is_0700_and_the_database_with_its_wal_and_shm_0600()
    {
        var directory = Path.Combine(Path.GetTempPath(), "matrixtester-modes-" + Guid.NewGuid().ToString("N"), "data");
        try
        {
            await using var site = new SiteFactory(fixture.Lab, directory);
            var client = site.CreateClient();
            using (var report = await client.GetAsync($"/api/v2/report?server_name={SiteFixture.Good}", Ct))
            {
                Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            }

            Assert.Equal(Directory0700, File.GetUnixFileMode(directory));
            var database = Path.Combine(directory, "results.db");
            Assert.Equal(File0600, File.GetUnixFileMode(database));
            Assert.Equal(File0600, File.GetUnixFileMode(database + "-wal"));
            Assert.Equal(File0600, File.GetUnixFileMode(database + "-shm"));
            // Nothing else in the directory is readable by others either (the signing key is created 0600 as well).
            Assert.All(Directory.GetFiles(directory), f => Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(f) & ~File0600));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }

    [Fact]
    public void A_database_left_readable_by_others_is_narrowed_to_0600_at_start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "matrixtester-modes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory, Directory0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var database = Path.Combine(directory, "results.db");
            foreach (var file in new[] { database, database + "-wal" })
            {
                File.WriteAllBytes(file, []);
                File.SetUnixFileMode(file, File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            DataFiles.EnsureDatabase(database);

            Assert.Equal(File0600, File.GetUnixFileMode(database));
            Assert.Equal(File0600, File.GetUnixFileMode(database + "-wal"));
            Assert.False(File.Exists(database + "-shm"));
            // An existing directory keeps the mode its owner chose.
            Assert.Equal(UnixFileMode.OtherRead, File.GetUnixFileMode(directory) & UnixFileMode.OtherRead);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
