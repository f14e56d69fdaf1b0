package io.gpucolo.admission.inventory;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.Node;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;

/**
 * Reads a cluster-state file (YAML; {@code etc/cluster.yaml.example} documents the format): the nodes, their
 * GPUs, the inference services resident on each GPU with their load, and the training guests already placed.
 * Used by {@code gpucolo explain} for dry runs. Services are those of the policy plus any declared under
 * {@code services:} here. Every problem is reported as {@code FILE:LINE:COLUMN: message}.
 */
public final class ClusterFile {
    static final int MAX_BYTES = 4 << 20;
    private static final Set<String> TOP = Set.of("services", "nodes");
    private static final Set<String> SERVICE = Set.of("name", "model", "slo_p99_ms", "memory_mib", "allowed_users",
            "nominal_load");
    private static final Set<String> LOAD = Set.of("requests_per_second", "batch");
    private static final Set<String> NODE = Set.of("name", "partitions", "gpus");
    private static final Set<String> GPU = Set.of("model", "memory_mib", "sm_count", "services", "guests");
    private static final Set<String> RESIDENT = Set.of("job", "service", "load");
    private static final Set<String> GUEST = Set.of("job", "owner", "share_percent", "memory_mib", "restartable");

    private final String file;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, InferenceService> services = new LinkedHashMap<>();
    private final Set<String> jobs = new HashSet<>();
    private final List<Placing> placements = new ArrayList<>();
    private final Map<GpuId, Mark> gpuMarks = new LinkedHashMap<>();

    /** One resident or guest to put on the state once the inventory is built, with where it was written. */
    private record Placing(Mark at, java.util.function.Consumer<ClusterState> add) { }

    private ClusterFile(String file, List<InferenceService> known) {
        this.file = file;
        for (InferenceService s : known) {
            services.put(s.name(), s);
        }
    }

    /** What a cluster file holds: the state it describes and the services it declared itself. */
    public record Contents(ClusterState state, List<InferenceService> declaredServices) { }

    /**
     * Reads {@code path}.
     *
     * @param policyServices services the policy declares (a resident may name them)
     * @throws InventoryException listing every problem
     */
    public static Contents read(Path path, List<InferenceService> policyServices) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new InventoryException(List.of(path + ":1:1: file is larger than " + MAX_BYTES + " bytes"));
            }
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InventoryException(List.of(path + ":1:1: no such file"));
        } catch (IOException e) {
            throw new InventoryException(List.of(path + ":1:1: cannot read: " + e.getMessage()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InventoryException(List.of(path + ":1:1: not UTF-8 text; save the file as UTF-8"));
        }
        return parse(text, path.toString(), policyServices);
    }

    /** Reads cluster-file text; {@code name} is the file name used in messages. */
    public static Contents parse(String text, String name, List<InferenceService> policyServices) {
        return new ClusterFile(name, policyServices).parse(text);
    }

    private Contents parse(String text) {
        org.yaml.snakeyaml.nodes.Node root = YamlMap.compose(text, file, MAX_BYTES);
        YamlMap top = YamlMap.of(root, "a cluster file", TOP, file, problems);
        if (top == null) {
            throw new InventoryException(problems);
        }
        List<InferenceService> declared = new ArrayList<>();
        for (org.yaml.snakeyaml.nodes.Node n : top.list("services")) {
            service(n, declared);
        }
        List<Node> nodes = new ArrayList<>();
        List<org.yaml.snakeyaml.nodes.Node> nodeItems = top.list("nodes");
        if (nodeItems.isEmpty() && problems.isEmpty()) {
            top.report(top.mark("nodes"), "a cluster file needs a non-empty 'nodes' list");
        }
        Set<String> names = new HashSet<>();
        for (org.yaml.snakeyaml.nodes.Node n : nodeItems) {
            node(n, names, nodes);
        }
        top.finish();
        ClusterState state = null;
        if (problems.isEmpty()) {
            state = new ClusterState(new Cluster(nodes));
            for (Placing p : placements) {
                try {
                    p.add().accept(state);
                } catch (IllegalArgumentException e) {
                    problems.add(YamlMap.where(file, p.at()) + e.getMessage());
                }
            }
            for (var g : state.gpus()) {
                if (g.usedMemoryMiB() > g.gpu().memoryMiB()) {
                    problems.add(YamlMap.where(file, gpuMarks.get(g.gpu().id())) + "GPU " + g.gpu().id()
                            + " holds " + g.usedMemoryMiB() + " MiB of services and guests but has only "
                            + g.gpu().memoryMiB() + " MiB");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
        return new Contents(state, declared);
    }

    private void service(org.yaml.snakeyaml.nodes.Node n, List<InferenceService> declared) {
        YamlMap m = YamlMap.of(n, "a service", SERVICE, file, problems);
        if (m == null) {
            return;
        }
        String name = m.string("name", true);
        String model = m.string("model", true);
        Double slo = m.number("slo_p99_ms", 0.001, 1e7, null);
        Long memory = m.whole("memory_mib", 1, 1L << 24, null);
        List<String> users = m.strings("allowed_users");
        ServiceLoad load = load(m, "nominal_load", null);
        m.finish();
        if (name != null && services.containsKey(name)) {
            m.report(m.mark("name"), "service '" + name + "' is already declared (by the policy or above)");
        } else if (name != null && model != null && slo != null && memory != null && load != null) {
            build(m, n.getStartMark(), () -> {
                InferenceService s = new InferenceService(name, slo, Set.copyOf(users), model, load, memory);
                services.put(name, s);
                declared.add(s);
            });
        }
    }

    private ServiceLoad load(YamlMap parent, String key, ServiceLoad dflt) {
        if (!parent.has(key)) {
            if (dflt == null) {
                parent.report(parent.mark(key), "missing key '" + key + "'");
            }
            return dflt;
        }
        YamlMap m = YamlMap.of(parent.node(key), key, LOAD, file, problems);
        if (m == null) {
            return null;
        }
        Double rps = m.number("requests_per_second", 0, 1e7, null);
        Long batch = m.whole("batch", 1, 4096, null);
        m.finish();
        return rps == null || batch == null ? null : new ServiceLoad(rps, batch.intValue());
    }

    private void node(org.yaml.snakeyaml.nodes.Node n, Set<String> names, List<Node> nodes) {
        YamlMap m = YamlMap.of(n, "a node", NODE, file, problems);
        if (m == null) {
            return;
        }
        String name = m.string("name", true);
        List<String> partitions = m.strings("partitions");
        List<org.yaml.snakeyaml.nodes.Node> gpuItems = m.list("gpus");
        m.finish();
        if (name == null) {
            return;
        }
        if (!names.add(name)) {
            m.report(m.mark("name"), "node '" + name + "' appears twice");
            return;
        }
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < gpuItems.size(); i++) {
            int index = i;
            YamlMap g = YamlMap.of(gpuItems.get(i), "a GPU", GPU, file, problems);
            if (g != null) {
                Mark at = gpuItems.get(i).getStartMark();
                build(g, at, () -> {
                    gpuMarks.put(new GpuId(name, index), at);
                    Gpu gpu = gpu(g, new GpuId(name, index));
                    if (gpu != null) {
                        gpus.add(gpu);
                    }
                });
            }
        }
        if (gpus.size() == gpuItems.size()) {       // else a GPU's problem is already reported
            build(m, n.getStartMark(), () -> nodes.add(new Node(name, gpus, Set.copyOf(partitions))));
        }
    }

    private Gpu gpu(YamlMap g, GpuId id) {
        String model = g.string("model", true);
        GpuModels.Spec spec = model == null ? null : GpuModels.byName(model).orElse(null);
        if (model != null && spec == null && !(g.has("memory_mib") && g.has("sm_count"))) {
            g.report(g.mark("model"), "unknown GPU model '" + model + "': give memory_mib and sm_count, or use one of "
                    + String.join(", ", GpuModels.names()));
            return null;
        }
        Long memory = g.whole("memory_mib", 1, 1L << 24, spec == null ? null : spec.memoryMiB());
        Long sms = g.whole("sm_count", 1, 10_000, spec == null ? null : (long) spec.smCount());
        List<org.yaml.snakeyaml.nodes.Node> residents = g.list("services");
        List<org.yaml.snakeyaml.nodes.Node> guests = g.list("guests");
        g.finish();
        if (model == null || memory == null || sms == null) {
            return null;        // reported where the value was read
        }
        Gpu gpu = new Gpu(id, spec == null ? model : spec.model(), memory, sms.intValue());
        for (org.yaml.snakeyaml.nodes.Node r : residents) {
            resident(r, id);
        }
        for (org.yaml.snakeyaml.nodes.Node q : guests) {
            guest(q, id);
        }
        return gpu;
    }

    private void resident(org.yaml.snakeyaml.nodes.Node n, GpuId gpu) {
        YamlMap m = YamlMap.of(n, "a resident service", RESIDENT, file, problems);
        if (m == null) {
            return;
        }
        String job = job(m);
        String name = m.string("service", true);
        InferenceService s = name == null ? null : services.get(name);
        if (name != null && s == null) {
            m.report(m.mark("service"), "unknown service '" + name + "'; declared: "
                    + (services.isEmpty() ? "none (declare it under services: or in the policy)"
                    : String.join(", ", services.keySet())));
        }
        ServiceLoad load = s == null ? null : load(m, "load", s.nominalLoad());
        m.finish();
        if (job != null && s != null && load != null) {
            build(m, n.getStartMark(), () -> {
                ResidentService r = new ResidentService(job, s, load);
                placements.add(new Placing(n.getStartMark(), st -> st.addService(gpu, r)));
            });
        }
    }

    private void guest(org.yaml.snakeyaml.nodes.Node n, GpuId gpu) {
        YamlMap m = YamlMap.of(n, "a guest", GUEST, file, problems);
        if (m == null) {
            return;
        }
        String job = job(m);
        String owner = m.string("owner", true);
        Long share = m.whole("share_percent", 1, 100, null);
        Long memory = m.whole("memory_mib", 1, 1L << 24, null);
        Boolean restartable = m.bool("restartable", false);
        m.finish();
        if (job != null && owner != null && share != null && memory != null && restartable != null) {
            build(m, n.getStartMark(), () -> {
                Guest q = new Guest(job, owner, share.intValue(), memory, restartable);
                placements.add(new Placing(n.getStartMark(), st -> st.addGuest(gpu, q)));
            });
        }
    }

    private String job(YamlMap m) {
        String job = m.string("job", true);
        if (job != null && !jobs.add(job)) {
            m.report(m.mark("job"), "job '" + job + "' appears twice");
            return null;
        }
        return job;
    }

    private void build(YamlMap m, Mark at, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            m.report(at, e.getMessage());
        }
    }
}
