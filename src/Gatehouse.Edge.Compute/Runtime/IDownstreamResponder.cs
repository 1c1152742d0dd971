using Gatehouse.Edge.Compute.Http;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Where <c>send_downstream</c> puts the guest's response.</summary>
internal interface IDownstreamResponder
{
    bool HasResponded { get; }

    int Status { get; }

    /// <summary>Sends the head, then the body; a streaming body stays open for guest writes until it is closed.</summary>
    void Send(GuestResponse response, GuestBody body, bool streaming);
}
