using System.Security.Cryptography.X509Certificates;
using Gatehouse.Balancer.Tls;

namespace Gatehouse.Balancer.Tests.Tls;

public sealed class DistinguishedNameTests
{
    [Fact]
    public void OneLine_EveryCommonAttribute_OpenSslOrderAndNames()
    {
        var name = new X500DistinguishedName("E=ops@example.test, CN=client one, OU=Unit, O=Org, L=City, S=State, C=US");

        var text = DistinguishedNames.OneLine(name);

        Assert.Equal("/C=US/ST=State/L=City/O=Org/OU=Unit/CN=client one/emailAddress=ops@example.test", text);
    }

    [Fact]
    public void OneLine_UnknownAttribute_WrittenAsOid()
    {
        var name = new X500DistinguishedName("OID.1.2.3.4=custom, CN=x");

        // X500DistinguishedName encodes the text right to left, so CN comes first in the certificate.
        Assert.Equal("/CN=x/1.2.3.4=custom", DistinguishedNames.OneLine(name));
    }
}
