using System.Data.Common;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Storage;
using MatrixTester.Web.Watches;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// The migration that adds the mailbox column fills it for watches stored before it, in both dialects, exactly as
/// <see cref="MailAddresses.Mailbox"/> computes it for new ones.
/// </summary>
public sealed class MailboxMigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly string[] Emails = ["victim+1@example.org", "victim@example.org", "a+b+c@mail.example.org", "+tag@example.org", "plain@example.org"];

    [Fact]
    public async Task Sqlite_fills_the_mailbox_of_existing_email_watches()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await AssertBackfillAsync(connection, WatchTables.Sqlite);
    }

    [Fact]
    public async Task Postgres_fills_the_mailbox_of_existing_email_watches()
    {
        await using var source = NpgsqlDataSource.Create(await database.NewSchemaAsync());
        await using var connection = await source.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await AssertBackfillAsync(connection, WatchTables.Postgres);
    }

    private static async Task AssertBackfillAsync(DbConnection connection, IReadOnlyList<string> migrations)
    {
        var ct = TestContext.Current.CancellationToken;
        await ExecuteAsync(connection, migrations[0]);
        for (var i = 0; i < Emails.Length; i++)
        {
            await ExecuteAsync(connection, $"INSERT INTO watches (id, server_name, email, unsubscribe_token, created_at) VALUES ('w{i}', 'example.org', '{Emails[i]}', 'u{i}', 0)");
        }
        await ExecuteAsync(connection, "INSERT INTO watches (id, server_name, webhook_url, unsubscribe_token, created_at) VALUES ('hook', 'example.org', 'https://hooks.example.org/', 'uh', 0)");

        await ExecuteAsync(connection, migrations[2]);

        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT email, mailbox FROM watches ORDER BY id";
        await using var reader = await query.ExecuteReaderAsync(ct);
        var rows = new List<(string? Email, string? Mailbox)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        Assert.Equal(Emails.Length + 1, rows.Count);
        Assert.All(rows, r => Assert.Equal(r.Email is null ? null : MailAddresses.Mailbox(r.Email), r.Mailbox));
        Assert.Contains((null, null), rows);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
