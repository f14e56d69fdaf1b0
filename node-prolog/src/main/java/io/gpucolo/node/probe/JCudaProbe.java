package io.gpucolo.node.probe;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceGetUuid;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuInit;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUuuid;
import jcuda.driver.JCudaDriver;

/** GPU discovery through the CUDA driver API (JCuda). Load only after {@link CudaDriver#unavailable} is empty. */
final class JCudaProbe {
    private JCudaProbe() {
    }

    static List<GpuInfo> discover() {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        List<GpuInfo> out = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice dev = new CUdevice();
            cuDeviceGet(dev, i);
            byte[] name = new byte[256];
            cuDeviceGetName(name, name.length, dev);
            long[] mem = new long[1];
            cuDeviceTotalMem(mem, dev);
            out.add(new GpuInfo(i, cString(name), attr(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                    mem[0] >> 20, attr(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attr(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), uuid(dev)));
        }
        return out;
    }

    private static int attr(CUdevice dev, int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, dev);
        return v[0];
    }

    private static String uuid(CUdevice dev) {
        try {
            CUuuid u = new CUuuid();
            cuDeviceGetUuid(u, dev);
            StringBuilder sb = new StringBuilder("GPU-");
            for (int i = 0; i < u.bytes.length; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10) {
                    sb.append('-');
                }
                sb.append(String.format("%02x", u.bytes[i] & 0xff));
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
