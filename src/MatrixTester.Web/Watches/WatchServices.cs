using MatrixTester.Web.Permalinks;
using Microsoft.Extensions.Options;
using Quartz;

namespace MatrixTester.Web.Watches;

public static class WatchServices
{
    /// <summary>
    /// Watches and alerts, and Quartz with its ADO job store in the result store's database: clustered on
    /// PostgreSQL (every instance takes part, each firing runs on one), a single node on the SQLite file.
    /// </summary>
    public static IServiceCollection AddWatches(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || o.BaseUri is not null, "Monitoring:PublicBaseUrl must be an absolute http(s) URL.")
            .Validate(o => !o.Smtp.Configured || MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _), "Monitoring:Smtp:From must be a mail address when Monitoring:Smtp:Host is set.")
            .Validate(o => o.Webhook is not null && o.Smtp is not null, "Monitoring:Webhook and Monitoring:Smtp must be objects.")
            .ValidateOnStart();
        services.AddSingleton<WatchDatabase>().AddSingleton<WatchStore>().AddSingleton<WatchSchedule>().AddSingleton<WatchSubscriptions>()
            .AddSingleton<MonitorCheck>().AddSingleton<AlertRules>().AddSingleton<AlertSender>().AddSingleton<MailSender>().AddSingleton<WebhookSender>();
        services.AddTransient<WatchCheckJob>();
        // Registration needs the provider now; the connection itself comes from WatchDatabase once the container exists.
        var postgres = configuration.GetSection(StorageOptions.Section).GetValue<StorageProvider>(nameof(StorageOptions.Provider)) == StorageProvider.Postgres;
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    store.UsePostgres(source => source.DataSourceFactory = sp => sp.GetRequiredService<WatchDatabase>().DataSource);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(source => source.DataSourceFactory = sp => sp.GetRequiredService<WatchDatabase>().DataSource);
                }
            });
        });
        services.AddHostedService<WatchScheduling>();
        services.AddSingleton<WatchRateLimit>();
        return services;
    }
}
