using Gatehouse.Signals.Redis;

namespace Gatehouse.Signals.Tests.Redis;

public sealed class RedisOptionsTests
{
    [Fact]
    public void Validate_InvalidValues_ListsEveryProblem()
    {
        var options = new RedisOptions { Endpoints = ["127.0.0.1", "127.0.0.1:99999"], Database = -1 };

        var problems = options.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains("'127.0.0.1' is not a valid host:port", problems[0], StringComparison.Ordinal);
        Assert.Contains("'127.0.0.1:99999'", problems[1], StringComparison.Ordinal);
        Assert.Contains("redis database: -1", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_PasswordSet_DoesNotContainIt()
    {
        var options = new RedisOptions { User = "edge", Password = "s3cret-value" };

        var text = options.ToString();

        Assert.DoesNotContain("s3cret-value", text, StringComparison.Ordinal);
        Assert.Contains("password=(set)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AclUserAndPassword_AuthenticatesAndLogsNoSecret()
    {
        using var server = RedisServer.Start("--user", "edge", "on", ">s3cret-value", "~gh:*", "&*", "+@all", "--user", "default", "off");
        var logger = new EventIdLogger();
        var options = new RedisOptions { Endpoints = [server.Endpoint], User = "edge", Password = "s3cret-value", KeyPrefix = "gh:" };

        using var connection = await options.ConnectAsync(logger);
        await connection.GetDatabase().StringSetAsync("gh:probe", "1");

        Assert.Equal("1", (string?)await connection.GetDatabase().StringGetAsync("gh:probe"));
        Assert.Equal(1, logger.Count(5003));
        Assert.All(logger.Texts, text => Assert.DoesNotContain("s3cret-value", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_CommandsFail()
    {
        using var server = RedisServer.Start("--requirepass", "right-password");
        var options = new RedisOptions { Endpoints = [server.Endpoint], Password = "wrong-password", ConnectTimeout = TimeSpan.FromSeconds(1) };

        using var connection = await options.ConnectAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => connection.GetDatabase().StringGetAsync("gh:probe"));
    }
}
