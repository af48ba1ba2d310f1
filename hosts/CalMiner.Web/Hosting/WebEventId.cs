namespace CalMiner.Web.Hosting;

/// <summary>
/// The event ids of the web host's log entries: 2000–2999, after CalMiner.Data's 1000–1999 (see
/// <see cref="CalMiner.Data.CalMinerEventId"/>), one range per component: start-up 2000–2099, database
/// outages 2100–2199, authentication 2200–2299, purging deleted scenarios 2300–2399.
/// </summary>
internal static class WebEventId
{
    public const int DatabaseMigrated = 2000;
    public const int AdminCreated = 2001;
    public const int DevelopmentAdminCreated = 2002;
    public const int NoAdmin = 2003;
    public const int DatabaseLocation = 2004;
    public const int KeyRingEncrypted = 2005;
    public const int KeyRingUnencrypted = 2006;
    public const int SampleSeeded = 2007;

    public const int DatabaseUnreachable = 2100;
    public const int DatabaseReachable = 2101;

    public const int ApiKeyFailed = 2200;
    public const int ApiKeyFailureSummary = 2201;

    public const int ScenariosPurged = 2300;
    public const int PurgeFailed = 2301;
}
