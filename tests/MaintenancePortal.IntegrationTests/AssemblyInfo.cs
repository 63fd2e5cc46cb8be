// The tests of this assembly take the broker away and kill servers: they run one at a time, so
// no test sees another's outage (and two cores are not shared by several clusters at once).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
