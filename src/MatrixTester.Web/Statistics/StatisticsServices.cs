namespace MatrixTester.Web.Statistics;

public static class StatisticsServices
{
    /// <summary>The statistics page's settings and its counted, cached figures.</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services)
    {
        services.AddOptions<StatisticsOptions>().BindConfiguration(StatisticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FederationStatistics>();
        return services;
    }
}
