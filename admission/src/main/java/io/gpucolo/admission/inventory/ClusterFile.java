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
import io.gpucolo.admission.yaml.Diagnostics;
import io.gpucolo.admission.yaml.DocumentKind;
import io.gpucolo.admission.yaml.Problem;
import io.gpucolo.admission.yaml.Section;
import io.gpucolo.admission.yaml.YamlSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;

/**
 * Reads a cluster-state file (YAML; {@code etc/cluster.yaml.example} documents the format): the nodes, their
 * GPUs, the inference services resident on each GPU with their load, and the training guests already placed.
 * Used by {@code gpucolo explain} for dry runs. Services are those of the policy plus any declared under
 * {@code services:} here. The file is read with the policy file's hardened reader ({@link YamlSource}, {@link Section}):
 * every problem is reported, each as {@code FILE:LINE:COLUMN: message}.
 */
public final class ClusterFile {
    /** A cluster file: at most 4 MiB, a mapping of services and nodes. */
    public static final DocumentKind KIND = new DocumentKind("cluster file", 4 << 20, "a mapping of services: and nodes:",
            "expected nodes: with their GPUs (see etc/cluster.yaml.example)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String NAME_TEXT = "a name (letters, digits, '.', '_', '-')";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}|\\*");
    private static final Pattern JOB = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final long MAX_MIB = 1L << 24;

    private final Diagnostics diag;
    private final Map<String, InferenceService> services = new LinkedHashMap<>();
    private final Set<String> jobs = new HashSet<>();
    private final List<Placing> placements = new ArrayList<>();
    private final Map<GpuId, Mark> gpuMarks = new LinkedHashMap<>();

    /** One resident or guest to put on the state once the inventory is built, with where it was written. */
    private record Placing(Mark at, Consumer<ClusterState> add) { }

    private ClusterFile(String file, List<InferenceService> known) {
        this.diag = new Diagnostics(file);
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
        ClusterFile f = new ClusterFile(path.toString(), policyServices);
        byte[] bytes = YamlSource.read(path, f.diag, KIND);
        if (bytes == null) {
            throw f.failure();
        }
        return f.parse(bytes);
    }

    /** Reads cluster-file text; {@code name} is the file name used in messages. */
    public static Contents parse(String text, String name, List<InferenceService> policyServices) {
        return new ClusterFile(name, policyServices).parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private Contents parse(byte[] bytes) {
        org.yaml.snakeyaml.nodes.Node root = YamlSource.parse(bytes, diag, KIND);
        Section top = diag.clean() ? Section.root(root, diag, KIND) : null;
        if (!diag.clean()) {
            throw failure();
        }
        List<InferenceService> declared = new ArrayList<>();
        for (Section s : top.sections("services")) {
            service(s, declared);
        }
        List<Node> nodes = new ArrayList<>();
        List<Section> nodeItems = top.sections("nodes");
        top.finish();
        if (nodeItems.isEmpty() && diag.clean()) {
            top.reportAtFirst("a cluster file needs at least one node", "nodes");
        }
        Set<String> names = new HashSet<>();
        for (Section n : nodeItems) {
            node(n, names, nodes);
        }
        if (!diag.clean()) {
            throw failure();
        }
        ClusterState state = new ClusterState(new Cluster(nodes));
        for (Placing p : placements) {
            try {
                p.add().accept(state);
            } catch (IllegalArgumentException e) {
                diag.at(p.at(), e.getMessage());
            }
        }
        for (var g : state.gpus()) {
            if (g.usedMemoryMiB() > g.gpu().memoryMiB()) {
                diag.at(gpuMarks.get(g.gpu().id()), "GPU " + g.gpu().id() + " holds " + g.usedMemoryMiB()
                        + " MiB of services and guests but has only " + g.gpu().memoryMiB() + " MiB");
            }
        }
        if (!diag.clean()) {
            throw failure();
        }
        return new Contents(state, declared);
    }

    private InventoryException failure() {
        return new InventoryException(diag.problems().stream().map(Problem::toString).toList());
    }

    private void service(Section m, List<InferenceService> declared) {
        int before = diag.count();
        String name = m.string("name", null, NAME, NAME_TEXT);
        String model = m.string("model", null, NAME, NAME_TEXT);
        double slo = m.number("slo_p99_ms", null, 0.001, 1e7);
        long memory = m.wholeNumber("memory_mib", null, 1, MAX_MIB);
        List<String> users = m.strings("allowed_users", List.of(), USER, "a user name or '*'");
        ServiceLoad load = load(m.requiredSection("nominal_load"));
        m.finish();
        if (diag.count() != before) {
            return;
        }
        if (services.containsKey(name)) {
            m.report("name", "service '" + name + "' is already declared (by the policy or above)");
            return;
        }
        build(m.start(), () -> {
            InferenceService s = new InferenceService(name, slo, Set.copyOf(users), model, load, memory);
            services.put(name, s);
            declared.add(s);
        });
    }

    /** A load mapping; null when it has a problem (reported). */
    private ServiceLoad load(Section m) {
        int before = diag.count();
        double rps = m.number("requests_per_second", null, 0, 1e7);
        int batch = m.integer("batch", null, 1, 4096);
        m.finish();
        return diag.count() == before ? new ServiceLoad(rps, batch) : null;
    }

    private void node(Section m, Set<String> names, List<Node> nodes) {
        int before = diag.count();
        String name = m.string("name", null, NAME, NAME_TEXT);
        List<String> partitions = m.strings("partitions", List.of(), NAME, NAME_TEXT);
        List<Section> gpuItems = m.sections("gpus");
        m.finish();
        if (name == null) {
            return;
        }
        if (!names.add(name)) {
            m.report("name", "node '" + name + "' appears twice");
            return;
        }
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < gpuItems.size(); i++) {
            Gpu g = gpu(gpuItems.get(i), new GpuId(name, i));
            if (g != null) {
                gpus.add(g);
            }
        }
        if (diag.count() == before) {
            build(m.start(), () -> nodes.add(new Node(name, gpus, Set.copyOf(partitions))));
        }
    }

    /** One GPU with its residents and guests; null when it has a problem (reported). */
    private Gpu gpu(Section g, GpuId id) {
        int before = diag.count();
        gpuMarks.put(id, g.start());
        String model = g.string("model", null, NAME, "a GPU model name");
        GpuModels.Spec spec = model == null ? null : GpuModels.byName(model).orElse(null);
        boolean sized = g.has("memory_mib") && g.has("sm_count");
        if (model != null && spec == null && !sized) {
            g.report("model", "unknown GPU model '" + model + "': give memory_mib and sm_count, or use one of "
                    + String.join(", ", GpuModels.names()));
        }
        boolean reported = diag.count() != before;  // then a missing size is not a second problem
        Long placeholder = reported ? Long.valueOf(1) : null;
        long memory = g.wholeNumber("memory_mib", spec != null ? Long.valueOf(spec.memoryMiB()) : placeholder, 1, MAX_MIB);
        long sms = g.wholeNumber("sm_count", spec != null ? Long.valueOf(spec.smCount()) : placeholder, 1, 10_000);
        List<Section> residents = g.sections("services");
        List<Section> guests = g.sections("guests");
        g.finish();
        for (Section r : residents) {
            resident(r, id);
        }
        for (Section q : guests) {
            guest(q, id);
        }
        if (diag.count() != before) {
            return null;
        }
        try {
            return new Gpu(id, spec == null ? model : spec.model(), memory, (int) sms);
        } catch (IllegalArgumentException e) {
            diag.at(g.start(), e.getMessage());
            return null;
        }
    }

    private void resident(Section m, GpuId gpu) {
        int before = diag.count();
        String job = job(m);
        String name = m.string("service", null, NAME, NAME_TEXT);
        boolean ownLoad = m.has("load");
        Section loadSection = m.section("load");
        ServiceLoad load = ownLoad ? load(loadSection) : null;
        m.finish();
        InferenceService s = name == null ? null : services.get(name);
        if (name != null && s == null) {
            m.report("service", "unknown service '" + name + "'; declared: "
                    + (services.isEmpty() ? "none (declare it under services: or in the policy)"
                    : String.join(", ", services.keySet())));
        }
        if (diag.count() == before) {
            ServiceLoad l = ownLoad ? load : s.nominalLoad();
            build(m.start(), () -> {
                ResidentService r = new ResidentService(job, s, l);
                placements.add(new Placing(m.start(), st -> st.addService(gpu, r)));
            });
        }
    }

    private void guest(Section m, GpuId gpu) {
        int before = diag.count();
        String job = job(m);
        String owner = m.string("owner", null, USER, "a user name");
        int share = m.integer("share_percent", null, 1, 100);
        long memory = m.wholeNumber("memory_mib", null, 1, MAX_MIB);
        boolean restartable = m.bool("restartable", false);
        m.finish();
        if (diag.count() == before) {
            build(m.start(), () -> {
                Guest q = new Guest(job, owner, share, memory, restartable);
                placements.add(new Placing(m.start(), st -> st.addGuest(gpu, q)));
            });
        }
    }

    private String job(Section m) {
        String job = m.string("job", null, JOB, "a job id (letters, digits, '.', '_', '-')");
        if (job != null && !jobs.add(job)) {
            m.report("job", "job '" + job + "' appears twice");
            return null;
        }
        return job;
    }

    private void build(Mark at, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            diag.at(at, e.getMessage());
        }
    }
}
