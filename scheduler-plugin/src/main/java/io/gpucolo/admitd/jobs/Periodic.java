package io.gpucolo.admitd.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * admitd's periodic work on Quartz (in-memory job store, two worker threads). Tasks are plain
 * {@link Runnable}s handed over by name through a job factory (no class names, no reflection wiring); a task
 * never runs twice at once, and an exception in one run is logged and the next run goes ahead. The workers run at
 * nice 10 ({@link io.gpucolo.admission.platform.Background}), as do the Slurm commands they start: this is
 * background work, and slurmctld's thread waiting for a submission's answer should get the CPU first.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Periodic.class.getName());
    private final Scheduler scheduler;
    private final Map<String, Runnable> tasks = new ConcurrentHashMap<>();

    public Periodic(String name) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.setJobFactory((bundle, sch) -> new Task(tasks.get(bundle.getJobDetail().getKey().getName())));
        scheduler.start();
    }

    /** Runs {@code task} now and then every {@code period}. */
    public void every(String name, Duration period, Runnable task) throws SchedulerException {
        tasks.put(name, task);
        JobDetail job = JobBuilder.newJob(Task.class).withIdentity(name).build();
        scheduler.scheduleJob(job, TriggerBuilder.newTrigger().withIdentity(name + "-trigger").startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(period.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build());
    }

    @Override
    public void close() throws SchedulerException {
        scheduler.shutdown(false);
    }

    @DisallowConcurrentExecution
    static final class Task implements Job {
        private final Runnable body;

        Task(Runnable body) {
            this.body = body;
        }

        @Override
        public void execute(JobExecutionContext ctx) {
            io.gpucolo.admission.platform.Background.lowerCurrentThread();   // yields to the hook's callers
            try {
                body.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "periodic task " + ctx.getJobDetail().getKey().getName() + " failed", e);
            }
        }
    }
}
