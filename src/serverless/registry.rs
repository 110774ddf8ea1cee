//! Registered functions. WRENCH registers a function with a service and
//! fixes its limits then; every registration is distinct (a warm container
//! serves only its own). In `sls` each declared function is registered with
//! each service that runs it, and a trace replay registers one function per
//! trace function, made from its template.

use std::collections::HashMap;

use crate::ir::Model;
use crate::ir::function::{Amount, FunctionId, ImageId, LayerId, Step};
use crate::ir::service::ServiceId;

pub use super::ids::RegId;

/// A function as registered with a service. Laid out by hand: what an
/// arrival, a dispatch and an end read (its image, limits, time limit,
/// whether its body draws, its cores) fills the first cache line, the rest
/// the second, so that each invocation misses one line, not two or three of
/// an unaligned 120-byte record (with thousands of functions, a miss per
/// arrival).
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct Registration {
    /// Bytes of RAM and of scratch disk each container reserves.
    pub ram: f64,
    pub disk: f64,
    pub time_limit: Option<f64>,
    pub image: ImageId,
    /// Application index, for per-application sandboxes.
    pub app: u32,
    /// The declared function (the template, for trace functions).
    pub function: FunctionId,
    /// Invocations one of its containers serves at once.
    pub concurrency: u32,
    pub service: ServiceId,
    /// Whether any body amount is random (a generator is then made per invocation).
    pub random_body: bool,
    /// Whether its body is one sleep and it has no time limit, and of
    /// what: nothing but the sleep's timer to set at each start (the
    /// commonest body), known here once rather than looked up at each start.
    pub lone_sleep: LoneSleep,
    /// Cores the body's computations may use, and their weight on a busy
    /// node: every invocation's record reads it at its end, on the line
    /// its arrival read.
    pub cores: f64,
    /// Display name (trace functions: `app/function` or the trace's name).
    pub name: String,
    pub ingress: Option<f64>,
    pub egress: Option<f64>,
    /// Whether `cores` is a quota its containers' invocations share: it
    /// runs several at once (`concurrency`) and has a quota (`cpu`, or
    /// cores from `cpu_follows_memory`); see `quota`.
    pub shares_cores: bool,
}

// What an arrival and a dispatch read, in the first line.
const _: () = assert!(std::mem::offset_of!(Registration, random_body) < 64);
const _: () = assert!(std::mem::offset_of!(Registration, lone_sleep) < 64);
const _: () = assert!(std::mem::offset_of!(Registration, cores) + 8 <= 64);
const _: () = assert!(std::mem::size_of::<Registration>() == 128);

/// Every registration of a run, and the image facts schedulers need.
#[derive(Debug, Default)]
pub struct Registry {
    pub all: Vec<Registration>,
    declared: HashMap<(FunctionId, ServiceId), RegId>,
    /// Registrations of a function invoked `with { memory .. }`, per memory (its bits).
    argued: HashMap<(FunctionId, ServiceId, u64), RegId>,
    apps: HashMap<String, u32>,
    /// Layers of each image.
    pub image_layers: Vec<Vec<LayerId>>,
    /// Disk and RAM footprint of each layer.
    pub layer_size: Vec<f64>,
    pub layer_ram: Vec<f64>,
    /// Images that contain each layer.
    pub images_of_layer: Vec<Vec<ImageId>>,
}

impl Registry {
    pub fn new(model: &Model) -> Self {
        let mut images_of_layer = vec![Vec::new(); model.layers.len()];
        for (i, image) in model.images.iter().enumerate() {
            for l in &image.layers {
                images_of_layer[l.0 as usize].push(ImageId(i as u32));
            }
        }
        Registry {
            all: Vec::new(),
            declared: HashMap::new(),
            argued: HashMap::new(),
            apps: HashMap::new(),
            image_layers: model.images.iter().map(|i| i.layers.clone()).collect(),
            layer_size: model.layers.iter().map(|l| l.size).collect(),
            layer_ram: model.layers.iter().map(|l| l.ram).collect(),
            images_of_layer,
        }
    }

    fn app(&mut self, name: &str) -> u32 {
        let next = self.apps.len() as u32;
        *self.apps.entry(name.to_string()).or_insert(next)
    }

    /// The registration of a declared function with a service, made on first use.
    pub fn declared(&mut self, model: &Model, function: FunctionId, service: ServiceId) -> RegId {
        if let Some(id) = self.declared.get(&(function, service)) {
            return *id;
        }
        let f = &model.functions[function.0 as usize];
        let ram = match f.limits.ram {
            Amount::Drawn(ref d) => d.mean(),
            _ => 0.0,
        };
        let app = self.app(&f.app);
        let id = self.push(Registration {
            name: f.name.clone(),
            function,
            service,
            image: f.image,
            app,
            ram,
            disk: f.limits.disk,
            time_limit: f.limits.time,
            ingress: f.limits.ingress,
            egress: f.limits.egress,
            concurrency: f.limits.concurrency,
            cores: cores(model, function, service, ram),
            shares_cores: shares_cores(model, function, service, ram),
            random_body: random_body(&f.body),
            lone_sleep: lone_sleep(&f.body, f.limits.time),
        });
        self.declared.insert((function, service), id);
        id
    }

    /// The registration of a declared function with a service, if the run
    /// made it (it makes every one it may run before starting).
    pub fn declared_id(&self, function: FunctionId, service: ServiceId) -> Option<RegId> {
        self.declared.get(&(function, service)).copied()
    }

    /// The registration of a declared function invoked with `memory` as its
    /// `trace.memory` (one per memory, made on first use, named as the
    /// function), or its plain registration without.
    pub fn argued(&mut self, model: &Model, function: FunctionId, service: ServiceId, memory: Option<f64>) -> RegId {
        let Some(memory) = memory else {
            return self.declared(model, function, service);
        };
        if let Some(id) = self.argued.get(&(function, service, memory.to_bits())) {
            return *id;
        }
        let f = &model.functions[function.0 as usize];
        let (name, app) = (f.name.clone(), f.app.clone());
        let id = self.from_template(model, function, service, name, Some(&app), Some(memory));
        self.argued.insert((function, service, memory.to_bits()), id);
        id
    }

    /// A registration made from a template for one trace function, whose
    /// RAM limit is the trace's memory for it (when the template asks).
    pub fn from_template(
        &mut self,
        model: &Model,
        template: FunctionId,
        service: ServiceId,
        name: String,
        app: Option<&str>,
        memory: Option<f64>,
    ) -> RegId {
        let f = &model.functions[template.0 as usize];
        let ram = match f.limits.ram {
            Amount::TraceMemory => memory.unwrap_or(0.0),
            Amount::Drawn(ref d) => d.mean(),
            Amount::TraceDuration => 0.0,
        };
        let app = self.app(app.unwrap_or(&name));
        self.push(Registration {
            name,
            function: template,
            service,
            image: f.image,
            app,
            ram,
            disk: f.limits.disk,
            time_limit: f.limits.time,
            ingress: f.limits.ingress,
            egress: f.limits.egress,
            concurrency: f.limits.concurrency,
            cores: cores(model, template, service, ram),
            shares_cores: shares_cores(model, template, service, ram),
            random_body: random_body(&f.body),
            lone_sleep: lone_sleep(&f.body, f.limits.time),
        })
    }

    /// Sets registration `id`'s RAM limit (a trace function's first
    /// arrival brings it), and the cores that follow from it.
    pub fn set_ram(&mut self, model: &Model, id: RegId, ram: f64) {
        let r = &mut self.all[id.index()];
        r.ram = ram;
        r.cores = cores(model, r.function, r.service, ram);
        r.shares_cores = shares_cores(model, r.function, r.service, ram);
    }

    fn push(&mut self, r: Registration) -> RegId {
        self.all.push(r);
        RegId((self.all.len() - 1) as u32)
    }

    pub fn get(&self, id: RegId) -> &Registration {
        &self.all[id.index()]
    }

    /// Starts bringing registration `id`'s first line (what every
    /// invocation of it reads at its arrival) into the cache, if it exists.
    #[inline(always)]
    pub fn prefetch(&self, id: RegId) {
        if let Some(r) = self.all.get(id.index()) {
            crate::cache_hint::prefetch(r);
        }
    }

    pub fn get_mut(&mut self, id: RegId) -> &mut Registration {
        &mut self.all[id.index()]
    }

    /// Disk and RAM footprints of an image: the sums over its layers.
    pub fn image_footprint(&self, image: ImageId) -> (f64, f64) {
        self.image_layers[image.0 as usize]
            .iter()
            .fold((0.0, 0.0), |(d, r), l| {
                (d + self.layer_size[l.0 as usize], r + self.layer_ram[l.0 as usize])
            })
    }
}

/// The cores a registration's body may use: its `cpu` limit, else its RAM
/// limit over the service's `cpu_follows_memory` (one core for a function
/// without a RAM limit), else one.
fn cores(model: &Model, function: FunctionId, service: ServiceId, ram: f64) -> f64 {
    quota(model, function, service, ram).unwrap_or(1.0)
}

/// A registration's CPU quota: its `cpu` limit, else its RAM limit over
/// the service's `cpu_follows_memory`; `None` without either (or without
/// a RAM limit), where each body gets one core of its own, as in WRENCH.
fn quota(model: &Model, function: FunctionId, service: ServiceId, ram: f64) -> Option<f64> {
    let per_core = model.services[service.0 as usize].cpu_follows_memory;
    match (model.functions[function.0 as usize].limits.cpu, per_core) {
        (Some(cpu), _) => Some(cpu),
        (None, Some(per_core)) if ram > 0.0 => Some(ram / per_core),
        _ => None,
    }
}

/// See [`Registration::shares_cores`].
fn shares_cores(model: &Model, function: FunctionId, service: ServiceId, ram: f64) -> bool {
    model.functions[function.0 as usize].limits.concurrency > 1 && quota(model, function, service, ram).is_some()
}

/// What a registration's body sleeps for when it is one sleep and has no
/// time limit ([`Registration::lone_sleep`]). A sleep of a trace row's
/// field needs nothing of the model at a start (the function's entry and
/// body, two cache misses each start with thousands of functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneSleep {
    /// Another body, or a time limit: the step runner's.
    No,
    /// `sleep trace.duration`.
    TraceDuration,
    /// A value or a draw: the body's amount, in the model.
    OfModel,
}

/// See [`Registration::lone_sleep`].
fn lone_sleep(body: &[Step], time_limit: Option<f64>) -> LoneSleep {
    match (time_limit, body) {
        (None, [Step::Sleep(Amount::TraceDuration)]) => LoneSleep::TraceDuration,
        (None, [Step::Sleep(_)]) => LoneSleep::OfModel,
        _ => LoneSleep::No,
    }
}

fn random_body(body: &[Step]) -> bool {
    let random = |a: &Amount| matches!(a, Amount::Drawn(d) if !matches!(d, crate::ir::Distribution::Constant(_)));
    body.iter().any(|s| match s {
        Step::Sleep(a) | Step::Compute(a) | Step::Output(a) => random(a),
        Step::Read { bytes, .. } | Step::Write { bytes, .. } => random(bytes),
        Step::Fail(_) => true,
    })
}
