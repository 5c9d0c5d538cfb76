package dev.rvm.replication;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The remote half of the replication floor (see {@link ReplicationBench}): a child JVM that accepts one loopback
 * connection, and for each length-prefixed record appends it to a file, forces it, and answers one byte. Prints its
 * port on stdout. Arguments: the file.
 */
public final class ForceEchoChild {
    private ForceEchoChild() {
    }

    public static void main(String[] args) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                FileChannel f = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            System.out.println(ss.getLocalPort());
            System.out.flush();
            try (Socket s = ss.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                long pos = 0;
                while (true) {
                    int n = in.readInt();
                    byte[] b = new byte[n];
                    in.readFully(b);
                    f.write(ByteBuffer.wrap(b), pos);
                    pos += n;
                    f.force(false);
                    out.write(1);
                    out.flush();
                }
            } catch (EOFException end) {
                // the parent is done
            }
        }
    }
}
