using Gatehouse.DevStack.Identity;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevClientsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/_gatehouse/callback", true)]
    [InlineData("http://localhost:41234/_gatehouse/callback", true)]
    [InlineData("http://127.0.0.1/_gatehouse/callback", true)]
    [InlineData("https://127.0.0.1:8080/_gatehouse/callback", false)]
    [InlineData("http://10.0.0.1:8080/_gatehouse/callback", false)]
    [InlineData("http://localhost.evil.example/_gatehouse/callback", false)]
    [InlineData("http://user@127.0.0.1:8080/_gatehouse/callback", false)]
    [InlineData("http://127.0.0.1:8080/_gatehouse/callback/", false)]
    [InlineData("http://127.0.0.1:8080/_gatehouse/./callback", false)]
    [InlineData("http://127.0.0.1:8080/%5Fgatehouse/callback", false)]
    [InlineData("http://127.0.0.1:8080/_gatehouse/callback?x=1", false)]
    [InlineData("http://127.0.0.1:8080/_gatehouse/callback#x", false)]
    [InlineData("/_gatehouse/callback", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsAllowedRedirectUri_Cases_MatchRule(string? redirectUri, bool expected)
    {
        Assert.Equal(expected, DevClients.IsAllowedRedirectUri(redirectUri));
    }
}
