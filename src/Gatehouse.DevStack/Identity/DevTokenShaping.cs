using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Gatehouse.DevStack.Identity;

/// <summary>
/// Adjustments to access and ID tokens just before OpenIddict serializes them: <c>groups</c> is always a JSON array
/// and <c>nbf</c> equals <c>iat</c>.
/// </summary>
/// <remarks>
/// OpenIddict 7.9 writes a claim type with one value as a JSON string and omits <c>nbf</c>, so alice's
/// <c>["staff"]</c> would otherwise reach validators as <c>"staff"</c>.
/// </remarks>
internal static class DevTokenShaping
{
    /// <summary>
    /// Registers the handler on <paramref name="server"/>, ordered right before the JWT is created.
    /// </summary>
    public static void Register(OpenIddictServerBuilder server)
    {
        var order = OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order - 1;
        server.AddEventHandler<GenerateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken
                    && context.SecurityTokenDescriptor is { } descriptor)
                {
                    Shape(descriptor);
                }

                return default;
            })
            .SetOrder(order));
    }

    internal static void Shape(SecurityTokenDescriptor descriptor)
    {
        descriptor.NotBefore ??= descriptor.IssuedAt;
        if (descriptor.Subject is not { } subject)
        {
            return;
        }

        var groupClaims = subject.FindAll(DevPrincipalFactory.GroupsClaim).ToList();
        if (groupClaims.Count == 0)
        {
            return;
        }

        foreach (var claim in groupClaims)
        {
            subject.RemoveClaim(claim);
        }

        descriptor.Claims ??= new Dictionary<string, object>(StringComparer.Ordinal);
        descriptor.Claims[DevPrincipalFactory.GroupsClaim] = groupClaims.Select(claim => claim.Value).ToArray();
    }
}
