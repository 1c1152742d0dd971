namespace Gatehouse.Edge.Compute.Abi;

/// <summary>
/// Status codes that every Fastly hostcall returns, in the order of the <c>fastly_status</c> enum of the
/// Compute ABI (Viceroy's <c>wasm_abi/compute-at-edge-abi/typenames.witx</c>).
/// </summary>
internal enum FastlyStatus
{
    Ok = 0,
    Error = 1,
    InvalidArgument = 2,
    BadHandle = 3,
    BufferLength = 4,
    Unsupported = 5,
    BadAlign = 6,
    HttpInvalid = 7,
    HttpUser = 8,
    HttpIncomplete = 9,
    None = 10,
    HttpHeadTooLarge = 11,
    HttpInvalidStatus = 12,
    LimitExceeded = 13,
    Again = 14,
}

/// <summary>Raised inside a hostcall to return a status other than <see cref="FastlyStatus.Ok"/>.</summary>
internal sealed class HostcallException(FastlyStatus status, string? detail = null)
    : Exception(detail ?? status.ToString())
{
    public FastlyStatus Status { get; } = status;
}
