using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// Verifies client certificates against a bind's `ca-file` and numbers the outcome with OpenSSL's X509_V_ERR codes,
/// which is what HAProxy's `ssl_c_verify` returns (0 when the certificate is valid).
/// </summary>
internal static class ClientCertificateCheck
{
    /// <summary>The connection item holding the verify result as a long, read by `ssl_c_verify`.</summary>
    public const string VerifyResultItemKey = "gatehouse.ssl_c_verify";

    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Returns 0 when <paramref name="certificate"/> chains to one of the authorities, else an OpenSSL code and its text.</summary>
    public static (long Code, string Reason) Verify(X509Certificate2 certificate, X509Certificate2Collection authorities, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        AddPresentedIntermediates(chain, presented);
        if (chain.Build(certificate))
        {
            return (0, "ok");
        }

        return Describe(certificate, chain);
    }

    /// <summary>Adds the intermediates the peer sent, so a chain through them can be built.</summary>
    public static void AddPresentedIntermediates(X509Chain chain, X509Chain? presented)
    {
        if (presented is null)
        {
            return;
        }

        chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        foreach (var element in presented.ChainElements.Skip(1))
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
    }

    /// <summary>Maps the first chain error to OpenSSL's code and a short reason.</summary>
    public static (long Code, string Reason) Describe(X509Certificate2 certificate, X509Chain chain)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status);
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return certificate.NotAfter < DateTime.Now
                ? (10, $"certificate has expired (not after {certificate.NotAfter.ToUniversalTime():u})")
                : (9, $"certificate is not yet valid (not before {certificate.NotBefore.ToUniversalTime():u})");
        }

        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            return (7, "certificate signature failure");
        }

        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return (26, "unsupported certificate purpose");
        }

        if ((flags & X509ChainStatusFlags.UntrustedRoot) != 0)
        {
            return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                ? (18, "self-signed certificate")
                : (19, "self-signed certificate in certificate chain");
        }

        // NOTE: other chain errors fall under OpenSSL's "unable to get local issuer certificate", the usual cause.
        return (20, "unable to get local issuer certificate: " + string.Join(", ", chain.ChainStatus.Select(status => status.Status)));
    }
}
