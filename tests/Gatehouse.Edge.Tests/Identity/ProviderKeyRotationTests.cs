using System.Net;
using Gatehouse.Edge.Tests.Support;

namespace Gatehouse.Edge.Tests.Identity;

// A real OpenIddict issuer rotates its signing key while a real edge validates its tokens.
public sealed class ProviderKeyRotationTests
{
    [Fact]
    public async Task Rotation_NewKeyToken_AcceptedAfterOneRefresh()
    {
        await using var stack = await IssuerStack.StartAsync();
        await stack.ValidatedTokenAsync("alice");

        var newKey = stack.Issuer.RotateSigningKey();
        using var after = await stack.GetAsync(await stack.TokenAsync("bob"));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, stack.Edge.Logs.Count(IssuerStack.KeyRefreshEvent));
        Assert.Contains(newKey, stack.Issuer.PublishedSigningKeyIds);
    }

    [Fact]
    public async Task Rotation_OldKeyPublished_OldTokenAccepted()
    {
        await using var stack = await IssuerStack.StartAsync();
        await stack.ValidatedTokenAsync("alice");
        var oldKeyToken = await stack.TokenAsync("carol");

        stack.Issuer.RotateSigningKey();
        using var newKey = await stack.GetAsync(await stack.TokenAsync("bob"));
        using var oldKey = await stack.GetAsync(oldKeyToken);

        Assert.Equal(HttpStatusCode.OK, newKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldKey.StatusCode);
    }

    [Fact]
    public async Task Retirement_UnseenOldToken_Rejected()
    {
        await using var stack = await IssuerStack.StartAsync();
        var oldKey = stack.Issuer.CurrentSigningKeyId;
        await stack.ValidatedTokenAsync("alice");
        var neverPresented = await stack.TokenAsync("carol");

        stack.Issuer.RotateSigningKey();
        stack.Issuer.RetireSigningKey(oldKey);
        using var newKey = await stack.GetAsync(await stack.TokenAsync("bob"));
        using var retired = await stack.GetAsync(neverPresented);

        Assert.Equal(HttpStatusCode.OK, newKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        Assert.Contains("error_description=\"unknown signing key\"", retired.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("unknown signing key\n", await retired.Content.ReadAsStringAsync());
        Assert.Contains(
            stack.Edge.Decisions.Records,
            record => record.Reason == "unknown signing key: kid is not in the provider's JWKS");
    }

    [Fact]
    public async Task Retirement_ValidatedToken_StaysCached()
    {
        await using var stack = await IssuerStack.StartAsync();
        var oldKey = stack.Issuer.CurrentSigningKeyId;
        var validatedBefore = await stack.ValidatedTokenAsync("alice");

        stack.Issuer.RotateSigningKey();
        stack.Issuer.RetireSigningKey(oldKey);
        using var refresh = await stack.GetAsync(await stack.TokenAsync("bob"));
        using var cached = await stack.GetAsync(validatedBefore);

        // Validated results are cached until the token's exp, so retiring a key does not revoke them.
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
    }

    [Fact]
    public async Task UnknownKeyIds_Repeated_RefreshOncePerInterval()
    {
        await using var stack = await IssuerStack.StartAsync();
        var token = await stack.ValidatedTokenAsync("alice");

        for (var i = 0; i < 5; i++)
        {
            using var forged = await stack.GetAsync(IssuerStack.WithKeyId(token, $"unknown-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Equal(1, stack.Edge.Logs.Count(IssuerStack.KeyRefreshEvent));

        stack.Time.Advance(TimeSpan.FromSeconds(6));
        using var later = await stack.GetAsync(IssuerStack.WithKeyId(token, "unknown-later"));

        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
        Assert.Equal(2, stack.Edge.Logs.Count(IssuerStack.KeyRefreshEvent));
    }
}
