using MatrixTester.Web.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Storage;

public sealed class SqliteResultStoreTests : ResultStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "matrixtester-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IResultStore> CreateStoreAsync(StorageOptions options)
    {
        options.DataDirectory = _directory;
        return Task.FromResult<IResultStore>(new SqliteResultStore(Options.Create(options), Clock, NullLogger<SqliteResultStore>.Instance));
    }

    protected override void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
