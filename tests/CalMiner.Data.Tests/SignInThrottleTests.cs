using CalMiner.Data.Tests.Infrastructure;

namespace CalMiner.Data.Tests;

/// <summary>Sign-in attempts per email, counted in the database: free at first, then waits that double, up to the longest.</summary>
public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Attempt_WaitsTwiceAsLongUpToFiveMinutes_AfterFiveFailuresUntilASuccessForgetsThem(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var throttle = host.Get<SignInThrottle>();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, await throttle.BeginAttemptAsync("bob@example.com"));
        }

        // Known by the address as it is looked up: case and spaces make no other account.
        Assert.Equal(TimeSpan.FromSeconds(1), await throttle.BeginAttemptAsync(" BOB@example.com "));
        Assert.Equal(TimeSpan.Zero, await throttle.BeginAttemptAsync("carol@example.com"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            var wait = await throttle.BeginAttemptAsync("bob@example.com");
            waits.Add(wait);
            clock.Advance(wait);
            Assert.Equal(TimeSpan.Zero, await throttle.BeginAttemptAsync("bob@example.com"));
        }

        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300],
            waits.Select(w => w.TotalSeconds));

        clock.Advance(TimeSpan.FromMinutes(5));
        await throttle.SucceededAsync("Bob@Example.com");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, await throttle.BeginAttemptAsync("bob@example.com"));
        }
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Counts_AreForgottenAndDropped_WhenUntouchedForADay(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var throttle = host.Get<SignInThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.BeginAttemptAsync("dave@example.com");
        }

        Assert.Equal(TimeSpan.FromSeconds(1), await throttle.BeginAttemptAsync("dave@example.com"));
        clock.Advance(TimeSpan.FromHours(25));

        // The old count starts again; a new email's first failure drops what nobody touched for a day.
        await throttle.BeginAttemptAsync("erin@example.com");
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM sign_in_throttle"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, await throttle.BeginAttemptAsync("dave@example.com"));
        }

        Assert.Equal(TimeSpan.FromSeconds(1), await throttle.BeginAttemptAsync("dave@example.com"));
    }

    [Fact]
    public async Task ParallelAttempts_AreEachCountedOnce()
    {
        await using var host = await DataHost.StartAsync(Engine.PostgreSql, time: new ManualTimeProvider(Start));
        var throttle = host.Get<SignInThrottle>();

        var waits = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => throttle.BeginAttemptAsync("frank@example.com")));

        // The clock stands still: at most the five free attempts go through, however they race; every other waits.
        Assert.InRange(waits.Count(w => w == TimeSpan.Zero), 1, 5);
        Assert.All(waits.Where(w => w != TimeSpan.Zero), w => Assert.Equal(TimeSpan.FromSeconds(1), w));
    }
}
