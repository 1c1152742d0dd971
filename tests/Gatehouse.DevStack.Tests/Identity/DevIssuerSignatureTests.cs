using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.DevStack.Tests.Identity;

public sealed class DevIssuerSignatureTests(DevIssuerFixture fixture) : IClassFixture<DevIssuerFixture>
{
    private async Task<TokenValidationParameters> ValidationParametersAsync()
    {
        var jwksJson = await fixture.Http.GetStringAsync(new Uri(fixture.Issuer.IssuerUri, ".well-known/jwks"));
        var jwks = new JsonWebKeySet(jwksJson);
        return new TokenValidationParameters
        {
            ValidIssuer = fixture.Issuer.IssuerUri.ToString(),
            ValidAudience = "gatehouse",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt", "JWT"],
        };
    }

    private async Task<string> AccessTokenAsync(string user)
    {
        var (_, body) = await fixture.PasswordGrantAsync(user, user);
        return body.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task AccessToken_JwksKeys_ValidatesWithJsonWebTokenHandler()
    {
        var token = await AccessTokenAsync("bob");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ValidationParametersAsync());

        Assert.True(result.IsValid, result.Exception?.ToString());
        Assert.Equal("bob", result.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task AccessToken_TamperedPayload_FailsValidation()
    {
        var token = await AccessTokenAsync("carol");
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"carol\"", "\"bob\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(forged, await ValidationParametersAsync());

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task AccessToken_OtherAudience_FailsValidation()
    {
        var token = await AccessTokenAsync("alice");
        var parameters = await ValidationParametersAsync();
        parameters.ValidAudience = "someone-else";

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        Assert.False(result.IsValid);
    }
}
