using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CalMiner.Data.Tests.Infrastructure;

namespace CalMiner.Data.Tests;

public sealed partial class ApiKeyTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    [GeneratedRegex("^cm_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretFormat();

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AKey_AuthenticatesAsItsUser_UntilItIsRevoked(Engine engine)
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await DataHost.StartAsync(engine, time: clock);
        var user = await host.Users.CreateAsync("ci-bot@example.com", null, UserRole.Analyst);
        var other = await host.Users.CreateAsync("other@example.com", null, UserRole.Viewer);
        clock.Advance(TimeSpan.FromMinutes(5));

        var created = await host.ApiKeys.CreateAsync(user.Id, "  nightly build ");

        Assert.Matches(SecretFormat(), created.Secret);
        Assert.Equal(created.Secret.Substring(3, 8), created.Key.Prefix);
        Assert.Equal(new ApiKeyInfo(created.Key.Id, user.Id, "nightly build", created.Key.Prefix, Start.AddMinutes(5)), created.Key);
        Assert.Equal([created.Key], await host.ApiKeys.ListAsync(user.Id));
        Assert.Empty(await host.ApiKeys.ListAsync(other.Id));
        Assert.Equal(user, await host.ApiKeys.AuthenticateAsync(created.Secret));

        Assert.False(await host.ApiKeys.RevokeAsync(created.Key.Id, other.Id));
        Assert.Equal(user, await host.ApiKeys.AuthenticateAsync(created.Secret));

        Assert.True(await host.ApiKeys.RevokeAsync(created.Key.Id, user.Id));
        Assert.Null(await host.ApiKeys.AuthenticateAsync(created.Secret));
        Assert.Empty(await host.ApiKeys.ListAsync(user.Id));
        Assert.False(await host.ApiKeys.RevokeAsync(created.Key.Id, user.Id));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task EachKey_HasItsOwnSecret_AndAuthenticatesAsItsOwnUser_WithTheUsersCurrentRole(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var alice = await host.Users.CreateAsync("alice@example.com", null, UserRole.Analyst);
        var bob = await host.Users.CreateAsync("bob@example.com", null, UserRole.Viewer);

        var keys = new[] { await host.ApiKeys.CreateAsync(alice.Id, "a1"), await host.ApiKeys.CreateAsync(alice.Id, "a2"), await host.ApiKeys.CreateAsync(bob.Id, "b1") };
        var admin = await host.Users.SetRoleAsync(alice.Id, UserRole.Admin);

        Assert.Equal(3, keys.Select(k => k.Secret).Distinct().Count());
        Assert.Equal(admin, await host.ApiKeys.AuthenticateAsync(keys[0].Secret));
        Assert.Equal(admin, await host.ApiKeys.AuthenticateAsync(keys[1].Secret));
        Assert.Equal(bob, await host.ApiKeys.AuthenticateAsync(keys[2].Secret));
        Assert.Equal(["a1", "a2"], (await host.ApiKeys.ListAsync(alice.Id)).Select(k => k.Name));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Garbage_AuthenticatesAsNobody_WithoutThrowing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("ci-bot@example.com", null, UserRole.Analyst);
        var secret = (await host.ApiKeys.CreateAsync(user.Id, "ci")).Secret;
        var body = secret[3..];
        string[] garbage =
        [
            null!,
            "",
            " ",
            "cm_",
            "cm_" + new string('*', 43),
            "cm_" + body[..^1],
            secret + "A",
            " " + secret,
            secret + "\n",
            "Bearer " + secret,
            "CM_" + body,
            "cm_" + (body[0] == 'A' ? 'B' : 'A') + body[1..],
            secret.ToUpperInvariant() == secret ? secret.ToLowerInvariant() : secret.ToUpperInvariant(),
            "cm_" + body.Replace(body[5], '\0'),
            "cm_" + new string('é', 43),
            "' OR 1=1 --" + new string('x', 35),
            new string('x', 1_000_000),
            "cm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
        ];

        foreach (var text in garbage)
        {
            Assert.Null(await host.ApiKeys.AuthenticateAsync(text));
        }

        Assert.Equal(user, await host.ApiKeys.AuthenticateAsync(secret));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TheSecret_IsNeverStored_OnlyItsSha256AndPrefix(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("ci-bot@example.com", null, UserRole.Analyst);
        var created = await host.ApiKeys.CreateAsync(user.Id, "ci");

        await using var db = host.Database.Open();
        await using var command = db.OpenDbConnection().CreateCommand();
        command.CommandText = "SELECT * FROM api_key";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var stored = new Dictionary<string, object>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            stored[reader.GetName(i)] = reader.GetValue(i);
        }

        Assert.False(await reader.ReadAsync());
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(created.Secret)), (byte[])stored["secret_hash"]);
        Assert.Equal(created.Key.Prefix, stored["prefix"]);
        // No column holds the secret, nor more of it than the 8-character prefix, as text or as bytes.
        var secretBody = created.Secret[3..];
        foreach (var (column, value) in stored)
        {
            var text = value is byte[] bytes ? Encoding.ASCII.GetString(bytes) + Convert.ToHexString(bytes) + Convert.ToBase64String(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
            Assert.False(text.Contains(secretBody[..9], StringComparison.OrdinalIgnoreCase), $"column {column} holds the secret");
        }
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ABadNameOrAnUnknownUser_IsRefused_AndWritesNothing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("ci-bot@example.com", null, UserRole.Analyst);

        foreach (var name in new[] { "", "   ", new string('n', 101) })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => host.ApiKeys.CreateAsync(user.Id, name));
            Assert.Equal("name", error.ParamName);
            Assert.Contains("1..100 characters", error.Message, StringComparison.Ordinal);
        }

        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => host.ApiKeys.CreateAsync(user.Id + 1, "ci"));
        Assert.Contains($"no user with id {user.Id + 1}", missing.Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM api_key"));
        Assert.Equal(new string('n', 100), (await host.ApiKeys.CreateAsync(user.Id, new string('n', 100))).Key.Name);
    }

    [Fact]
    public void ToString_LeavesOutTheSecret()
    {
        var created = new CreatedApiKey(new ApiKeyInfo(1, 2, "ci", "AbCdEfGh", Start), "cm_AbCdEfGhTheRestOfTheSecretThatMustNotBeLogged01");

        var text = created.ToString();

        Assert.DoesNotContain("TheRestOfTheSecret", text, StringComparison.Ordinal);
        Assert.Contains("AbCdEfGh", text, StringComparison.Ordinal);
    }
}
