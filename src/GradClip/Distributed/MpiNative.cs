using System.Runtime.InteropServices;

namespace GradClip.Distributed;

/// <summary>
/// The few Open MPI functions the communicator needs, bound to <c>libmpi.so.40</c> (Debian's <c>openmpi-bin</c>). Open MPI's
/// handles (<c>MPI_COMM_WORLD</c>, <c>MPI_BYTE</c>) are the addresses of exported globals, fetched once.
/// </summary>
internal static class MpiNative
{
    private const string Library = "libmpi.so.40";

    /// <summary>Loads the library and reads the handles; null with the reason when Open MPI is not installed.</summary>
    public static (IntPtr World, IntPtr Byte)? Handles(out string? problem)
    {
        problem = null;
        if (!NativeLibrary.TryLoad(Library, out var library))
        {
            problem = $"Open MPI's {Library} was not found: install it (Debian: apt-get install openmpi-bin) to train on several ranks.";
            return null;
        }
        return (NativeLibrary.GetExport(library, "ompi_mpi_comm_world"), NativeLibrary.GetExport(library, "ompi_mpi_byte"));
    }

    [DllImport(Library)]
    public static extern int MPI_Initialized(out int flag);

    [DllImport(Library)]
    public static extern int MPI_Init(IntPtr argc, IntPtr argv);

    [DllImport(Library)]
    public static extern int MPI_Finalize();

    [DllImport(Library)]
    public static extern int MPI_Comm_rank(IntPtr comm, out int rank);

    [DllImport(Library)]
    public static extern int MPI_Comm_size(IntPtr comm, out int size);

    [DllImport(Library)]
    public static extern int MPI_Alltoall(ref byte send, int sendCount, IntPtr sendType, ref byte receive, int receiveCount, IntPtr receiveType, IntPtr comm);

    [DllImport(Library)]
    public static extern int MPI_Allgather(ref byte send, int sendCount, IntPtr sendType, ref byte receive, int receiveCount, IntPtr receiveType, IntPtr comm);

    [DllImport(Library)]
    public static extern int MPI_Barrier(IntPtr comm);

    [DllImport(Library)]
    public static extern int MPI_Abort(IntPtr comm, int errorCode);
}
