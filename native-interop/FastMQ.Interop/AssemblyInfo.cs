using System.Runtime.CompilerServices;

// Every P/Invoke here passes only blittable arguments; marshalling stays off so no stub code runs per call.
[assembly: DisableRuntimeMarshalling]
[assembly: InternalsVisibleTo("FastMQ.Interop.Tests")]
[assembly: InternalsVisibleTo("FastMQ.Runtime")]
[assembly: InternalsVisibleTo("FastMQ.Storage")]
[assembly: InternalsVisibleTo("FastMQ.Network")]
