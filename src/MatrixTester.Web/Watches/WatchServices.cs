using MatrixTester.Web.Abuse;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace MatrixTester.Web.Watches;

public static class WatchServices
{
    public const string CreateLimitName = "watch-create";

    /// <summary>
    /// Creating watches (<c>POST /api/v2/watches</c> and the result page's form, which declare it): each one may send
    /// a confirmation mail, so a stranger must not be able to make the site mail many addresses.
    /// </summary>
    public static RateLimitPolicy CreateLimit { get; } = new(CreateLimitName, "refusal.watches.title", "refusal.watches.text", request => HttpMethods.IsPost(request.Method));

    /// <summary>
    /// Watches and alerts, and Quartz with its ADO job store in the result store's database: clustered on
    /// PostgreSQL (every instance takes part, each firing runs on one), a single node on the SQLite file.
    /// </summary>
    public static IServiceCollection AddWatches(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Smtp.Configured || MimeKit.MailboxAddress.TryParse(o.Smtp.From, out _), "Monitoring:Smtp:From must be a mail address when Monitoring:Smtp:Host is set.")
            .Validate(o => o.Webhook is not null && o.Smtp is not null, "Monitoring:Webhook and Monitoring:Smtp must be objects.")
            .Configure<IOptions<SiteOptions>>((o, site) => o.PublicUrl = site.Value.PublicUrl)
            .ValidateOnStart();
        services.AddSingleton<WatchStore>().AddSingleton<WatchSchedule>().AddSingleton<WatchSubscriptions>()
            .AddSingleton<MonitorCheck>().AddSingleton<AlertRules>().AddSingleton<AlertSender>().AddSingleton<MailSender>().AddSingleton<WebhookSender>();
        services.AddTransient<WatchCheckJob>();
        // The database is chosen when the container is built (Storage:Provider, as for the result store), not while
        // registering: configuration added later, by a host or a test factory, must be seen.
        services.AddQuartz(q => q.UsePersistentStore(store =>
        {
            store.UseConnectionProvider(sp => StoreConnections.Quartz(sp.GetRequiredService<StoreDatabase>()));
            store.UseDriverDelegate(sp => StoreConnections.QuartzDialect(sp.GetRequiredService<StoreDatabase>()));
        }));
        // On PostgreSQL every instance joins one cluster: each firing runs on one of them. Clustering needs database
        // row locks and a distinct instance id per node, which UseClustering() would set at registration.
        services.AddOptions<ClusteringOptions>().Configure<IOptions<StorageOptions>>((o, s) => o.Enabled = IsPostgres(s));
        services.AddOptions<AdoJobStoreOptions>().Configure<IOptions<StorageOptions>>((o, s) => o.UseDbLocks = IsPostgres(s));
        services.AddOptions<QuartzSchedulerOptions>().Configure<IOptions<StorageOptions>>((o, s) => o.GenerateInstanceId |= IsPostgres(s));
        services.AddHostedService<WatchScheduling>();
        services.AddRateLimitPolicy<MonitoringOptions>(CreateLimit, o => new RateLimitOptions
        {
            TokenLimit = o.CreateTokenLimit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = o.CreateReplenishmentPeriod,
        });
        return services;
    }

    private static bool IsPostgres(IOptions<StorageOptions> storage) => storage.Value.Provider == StorageProvider.Postgres;
}
