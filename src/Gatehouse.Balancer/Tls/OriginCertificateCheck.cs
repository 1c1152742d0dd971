using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// The `verify required` check of a server certificate, with HAProxy's rules: the chain must end in a `ca-file`
/// certificate, and its names must cover the expected name when there is one.
/// </summary>
internal static class OriginCertificateCheck
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Returns null when the certificate passes, else the reason it was rejected.</summary>
    /// <param name="expectedName">The `sni` value, else `verifyhost`; null skips the name check, as HAProxy does.</param>
    public static string? Check(ServerTlsSettings tls, string? expectedName, X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        if (tls.SystemAuthorities)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return $"certificate '{certificate.Subject}' does not chain to a system CA: "
                    + string.Join(", ", presented?.ChainStatus.Select(status => status.Status) ?? []);
            }
        }
        else
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(tls.Authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
            ClientCertificateCheck.AddPresentedIntermediates(chain, presented);
            if (!chain.Build(certificate))
            {
                return $"certificate '{certificate.Subject}': {ClientCertificateCheck.Describe(certificate, chain).Reason}";
            }
        }

        if (!string.IsNullOrEmpty(expectedName) && !certificate.MatchesHostname(expectedName, allowWildcards: true, allowCommonName: true))
        {
            return $"certificate '{certificate.Subject}' does not match the name '{expectedName}'";
        }

        return null;
    }
}
