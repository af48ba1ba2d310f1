using CalMiner.Data.Tests.Infrastructure;

namespace CalMiner.Data.Tests;

public sealed class UserAccountTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<Engine> BothEngines() => [Engine.PostgreSql, Engine.Sqlite];

    public static TheoryData<Engine, string, string> InvalidEmails()
    {
        var data = new TheoryData<Engine, string, string>();
        foreach (var engine in new[] { Engine.PostgreSql, Engine.Sqlite })
        {
            data.Add(engine, "", "must not be empty");
            data.Add(engine, "   ", "must not be empty");
            data.Add(engine, "alice.example.com", "'@'");
            data.Add(engine, "@example.com", "'@'");
            data.Add(engine, "alice@", "'@'");
            data.Add(engine, "al ice@example.com", "spaces");
            data.Add(engine, "alice@exa\tmple.com", "spaces");
            data.Add(engine, new string('a', 243) + "@example.com", "at most 254 characters");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Create_StoresTheEmailTrimmedInLowerCase_AndFindsItIgnoringCase(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine, time: new ManualTimeProvider(Start.AddTicks(1234567)));

        var created = await host.Users.CreateAsync("  Alice.Smith@Example.COM ", "AQAAAAIAAYagAAAAEhash", UserRole.Analyst);

        Assert.Equal("alice.smith@example.com", created.Email);
        Assert.Equal(UserRole.Analyst, created.Role);
        // The clock's time, to the microsecond, as both engines store it.
        Assert.Equal(Start.AddTicks(1234560), created.CreatedAt);
        Assert.Equal(created, await host.Users.GetAsync(created.Id));
        Assert.Equal(created, await host.Users.FindByEmailAsync("ALICE.SMITH@example.com"));
        Assert.Equal(created, await host.Users.FindByEmailAsync(" alice.smith@EXAMPLE.com\n"));
        var credentials = await host.Users.GetCredentialsAsync("Alice.Smith@example.com");
        Assert.Equal(new UserCredentials(created, "AQAAAAIAAYagAAAAEhash", credentials!.SecurityStamp), credentials);
        Assert.Matches("^[0-9a-f]{32}$", credentials.SecurityStamp);
        Assert.Null(await host.Users.FindByEmailAsync("bob@example.com"));
        Assert.Null(await host.Users.FindByEmailAsync(""));
        Assert.Null(await host.Users.GetCredentialsAsync("not an email"));
        Assert.Null(await host.Users.GetAsync(created.Id + 1));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ASecondAccount_WithTheSameEmailIgnoringCase_IsRefused_AndWritesNothing(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var first = await host.Users.CreateAsync("carol@example.com", null, UserRole.Viewer);

        var error = await Assert.ThrowsAsync<DuplicateEmailException>(() => host.Users.CreateAsync(" CAROL@example.com", "hash", UserRole.Admin));

        Assert.Equal("carol@example.com", error.Email);
        Assert.Contains("carol@example.com", error.Message, StringComparison.Ordinal);
        Assert.Equal([first], await host.Users.ListAsync());
        Assert.False(await host.Users.AnyAdminAsync());
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TwoAccountsWithTheSameEmailAtOnce_OnlyOneIsCreated(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);

        async Task<UserAccount?> TryCreate(string email)
        {
            try
            {
                return await host.Users.CreateAsync(email, null, UserRole.Analyst);
            }
            catch (DuplicateEmailException)
            {
                return null;
            }
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => TryCreate(i % 2 == 0 ? "dave@example.com" : "DAVE@example.com"))));

        Assert.Single(attempts, a => a is not null);
        Assert.Single(await host.Users.ListAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidEmails))]
    public async Task AnInvalidEmail_IsRefused_NamingTheFieldAndTheProblem(Engine engine, string email, string problem)
    {
        await using var host = await DataHost.StartAsync(engine);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Users.CreateAsync(email, null, UserRole.Viewer));

        Assert.Equal("email", error.ParamName);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Users.ListAsync());
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task AnEmailOf254Characters_IsAccepted(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var email = new string('a', 242) + "@example.com";

        var created = await host.Users.CreateAsync(email, null, UserRole.Viewer);

        Assert.Equal(254, created.Email.Length);
        Assert.Equal(created, await host.Users.FindByEmailAsync(email.ToUpperInvariant()));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task BadPasswordHashesAndRoles_AreRefused_NamingTheField(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("erin@example.com", null, UserRole.Viewer);

        Assert.Equal("passwordHash", (await Assert.ThrowsAsync<ArgumentException>(() => host.Users.CreateAsync("frank@example.com", " ", UserRole.Viewer))).ParamName);
        Assert.Equal("passwordHash", (await Assert.ThrowsAsync<ArgumentException>(() => host.Users.SetPasswordHashAsync(user.Id, new string('h', 1025)))).ParamName);
        Assert.Equal("role", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Users.CreateAsync("frank@example.com", null, (UserRole)7))).ParamName);
        Assert.Equal("role", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Users.SetRoleAsync(user.Id, (UserRole)(-1)))).ParamName);
        Assert.Equal([user], await host.Users.ListAsync());
        Assert.Null((await host.Users.GetCredentialsAsync(user.Email))!.PasswordHash);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task TheTables_RefuseWhatTheRepositoryRefuses(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        const string Columns = "INSERT INTO app_user (email, password_hash, role, created_at) VALUES ";
        var now = engine == Engine.PostgreSql ? "now()" : "'2030-01-01'";

        await host.ExecuteAsync($"{Columns}('ok@example.com', NULL, 'viewer', {now})");
        foreach (var values in new[]
        {
            $"('Upper@example.com', NULL, 'viewer', {now})",
            $"('no-at-sign', NULL, 'viewer', {now})",
            $"('sp ace@example.com', NULL, 'viewer', {now})",
            $"('ok2@example.com', NULL, 'owner', {now})",
            $"('ok3@example.com', '', 'admin', {now})",
            $"('ok@example.com', NULL, 'viewer', {now})",
        })
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => host.ExecuteAsync(Columns + values));
        }

        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM app_user"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task RolesAndPasswordHashes_CanBeChanged(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("grace@example.com", null, UserRole.Viewer);
        Assert.False(await host.Users.AnyAdminAsync());

        var admin = await host.Users.SetRoleAsync(user.Id, UserRole.Admin);
        Assert.True(await host.Users.SetPasswordHashAsync(user.Id, "hash-1"));

        Assert.Equal(user with { Role = UserRole.Admin }, admin);
        Assert.Equal(admin, await host.Users.GetAsync(user.Id));
        Assert.True(await host.Users.AnyAdminAsync());
        Assert.Equal("hash-1", (await host.Users.GetCredentialsAsync("GRACE@example.com"))!.PasswordHash);

        Assert.True(await host.Users.SetPasswordHashAsync(user.Id, null));
        Assert.Null((await host.Users.GetCredentialsAsync("grace@example.com"))!.PasswordHash);
        Assert.Equal(UserRole.Viewer, (await host.Users.SetRoleAsync(user.Id, UserRole.Viewer))!.Role);
        Assert.False(await host.Users.AnyAdminAsync());

        Assert.Null(await host.Users.SetRoleAsync(user.Id + 1, UserRole.Admin));
        Assert.False(await host.Users.SetPasswordHashAsync(user.Id + 1, "hash-2"));
        Assert.False(await host.Users.AnyAdminAsync());
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task ANewPassword_GivesANewSecurityStamp_AndARehashKeepsIt(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var user = await host.Users.CreateAsync("ivan@example.com", "hash-1", UserRole.Analyst);
        var other = await host.Users.CreateAsync("olga@example.com", "hash-1", UserRole.Analyst);
        var created = (await host.Users.GetCredentialsByIdAsync(user.Id))!;
        var otherStamp = (await host.Users.GetCredentialsByIdAsync(other.Id))!.SecurityStamp;
        Assert.Equal(32, created.SecurityStamp.Length);
        Assert.NotEqual(created.SecurityStamp, otherStamp);
        Assert.Equal(created, await host.Users.GetCredentialsAsync("IVAN@example.com"));

        Assert.True(await host.Users.RehashPasswordAsync(user.Id, "hash-1", "hash-1-newer-format"));
        var rehashed = (await host.Users.GetCredentialsByIdAsync(user.Id))!;
        Assert.Equal(("hash-1-newer-format", created.SecurityStamp), (rehashed.PasswordHash, rehashed.SecurityStamp));

        Assert.True(await host.Users.SetPasswordHashAsync(user.Id, "hash-2"));
        var changed = (await host.Users.GetCredentialsByIdAsync(user.Id))!;
        Assert.Equal("hash-2", changed.PasswordHash);
        Assert.NotEqual(created.SecurityStamp, changed.SecurityStamp);

        // A rehash of a password that was changed meanwhile writes nothing.
        Assert.False(await host.Users.RehashPasswordAsync(user.Id, "hash-1", "hash-1-newer-format"));
        Assert.Equal(changed, await host.Users.GetCredentialsByIdAsync(user.Id));
        Assert.Equal(otherStamp, (await host.Users.GetCredentialsByIdAsync(other.Id))!.SecurityStamp);
        Assert.Null(await host.Users.GetCredentialsByIdAsync(other.Id + 1));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task List_IsByEmail(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        foreach (var email in new[] { "mallory@example.com", "Bob@example.com", "alice@example.org", "alice@example.com" })
        {
            await host.Users.CreateAsync(email, null, UserRole.Analyst);
        }

        Assert.Equal(
            ["alice@example.com", "alice@example.org", "bob@example.com", "mallory@example.com"],
            (await host.Users.ListAsync()).Select(u => u.Email));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Delete_RemovesTheUserWithTheirApiKeys_AndNoOneElses(Engine engine)
    {
        await using var host = await DataHost.StartAsync(engine);
        var heidi = await host.Users.CreateAsync("heidi@example.com", "hash", UserRole.Analyst);
        var ivan = await host.Users.CreateAsync("ivan@example.com", null, UserRole.Analyst);
        var heidisKeys = new[] { await host.ApiKeys.CreateAsync(heidi.Id, "ci"), await host.ApiKeys.CreateAsync(heidi.Id, "laptop") };
        var ivansKey = await host.ApiKeys.CreateAsync(ivan.Id, "ci");

        Assert.True(await host.Users.DeleteAsync(heidi.Id));

        Assert.Null(await host.Users.GetAsync(heidi.Id));
        Assert.Null(await host.Users.FindByEmailAsync("heidi@example.com"));
        Assert.Empty(await host.ApiKeys.ListAsync(heidi.Id));
        foreach (var key in heidisKeys)
        {
            Assert.Null(await host.ApiKeys.AuthenticateAsync(key.Secret));
        }

        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM api_key"));
        Assert.Equal(ivan, await host.ApiKeys.AuthenticateAsync(ivansKey.Secret));
        Assert.False(await host.Users.DeleteAsync(heidi.Id));
        // The address is free again.
        Assert.Equal("heidi@example.com", (await host.Users.CreateAsync("Heidi@example.com", null, UserRole.Viewer)).Email);
    }

    [Fact]
    public void ToString_LeavesOutThePasswordHash()
    {
        var credentials = new UserCredentials(new UserAccount(7, "judy@example.com", UserRole.Admin, Start), "AQAAAAIAAYagAAAAE-secret-hash", "stamp-0123456789");

        var text = credentials.ToString();

        Assert.DoesNotContain("secret-hash", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stamp-0123456789", text, StringComparison.Ordinal);
        Assert.Contains("judy@example.com", text, StringComparison.Ordinal);
        Assert.Contains("HasPassword = True", text, StringComparison.Ordinal);
    }
}
