using MatrixTester.Lab;
using Npgsql;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// A fresh database on the test PostgreSQL server named by MATRIXTESTER_TEST_POSTGRES (started by
/// <c>.ci/postgres.sh start</c>), dropped afterwards; each test takes its own schema in it. Without the variable the
/// tests fail under CI (CI=true), so a broken setup can never pass as "skipped", and are skipped with the reason
/// on a developer's machine.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string Variable = "MATRIXTESTER_TEST_POSTGRES";
    private readonly string? _server = Environment.GetEnvironmentVariable(Variable);
    private readonly string _name = "matrixtester_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(_server))
        {
            return;
        }
        await using var admin = NpgsqlDataSource.Create(_server);
        await using var create = admin.CreateCommand($"CREATE DATABASE {_name}");
        await create.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;
    }

    /// <summary>A connection string whose search path is a new, empty schema: a clean slate for one test.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var database = Require();
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var source = NpgsqlDataSource.Create(database))
        await using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(database) { SearchPath = schema }.ConnectionString;
    }

    private string Require()
    {
        if (_connectionString is not null)
        {
            return _connectionString;
        }
        var reason = $"{Variable} is not set, so there is no PostgreSQL server to test against. "
            + "Start a throwaway one with: eval \"$(.ci/postgres.sh start)\" (needs apt-get install postgresql; see README, Commands).";
        if (Prerequisite.InCi)
        {
            Assert.Fail(reason + " CI must run the PostgreSQL tests: .ci/run starts the server.");
        }
        Requires.Skip("PostgreSQL", reason);
        return "";
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(_server!);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
