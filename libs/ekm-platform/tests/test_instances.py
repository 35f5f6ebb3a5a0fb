"""Several processes of a service (EKM_INSTANCES): how many, their names, PostgreSQL only."""

from collections import Counter

import pytest

from ekm_platform import config, instance_stats
from ekm_platform.supervisor import Program, Supervisor, programs

PG = {"EKM_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/ekm"}


def test_instances_default_to_one_and_read_both_settings():
    assert config.instances({}) == dict.fromkeys(config.SERVICES, 1)
    counts = config.instances({"EKM_INSTANCES": " cases=3, notifications=2 ", "EKM_NOTIFICATIONS_INSTANCES": "4"})
    assert (counts["cases"], counts["notifications"], counts["intake"]) == (3, 4, 1)


@pytest.mark.parametrize("value", ["case=3", "cases=0", "cases=x", "cases", "cases=17"])
def test_a_wrong_instance_setting_is_refused(value):
    with pytest.raises(ValueError, match="EKM_INSTANCES"):
        config.instances({"EKM_INSTANCES": value})


def test_each_instance_is_a_program_of_its_own_and_companions_run_once():
    env = {**PG, "EKM_INSTANCES": "cases=3,intake=2"}
    progs = programs(("intake", "cases"), simulators=False, env=env)
    names = [p.name for p in progs]
    assert names == ["intake", "intake-2", "intake-webhook", "cases", "cases-2", "cases-3"]
    cases2 = progs[names.index("cases-2")]
    assert cases2.argv[-2:] == ["ekm_platform.runner", "cases"] and cases2.env == {"EKM_INSTANCE_NAME": "cases-2"}
    assert [p.name for p in programs(("cases",), simulators=False, env=PG, instances={"cases": 2})] == [
        "cases",
        "cases-2",
    ]


@pytest.mark.parametrize(
    "env",
    [{}, {"EKM_DATABASE_URL": "sqlite:////tmp/x.db"}, {**PG, "EKM_CASES_DATABASE_URL": "sqlite:////tmp/cases.db"}],
)
def test_scale_out_on_sqlite_is_refused(env):
    with pytest.raises(ValueError, match="PostgreSQL"):
        programs(("cases",), simulators=False, env={**env, "EKM_INSTANCES": "cases=2"})


def test_started_reads_only_what_the_process_logged_since_its_spawn(tmp_path):
    (tmp_path / "cases-2.log").write_text("old run: cases-2 started; gRPC on 127.0.0.1:1 (pid 1)\n")
    program = Program("cases-2", ["true"])
    supervisor = Supervisor([program], log_dir=tmp_path, env={})
    supervisor.start()
    program.process.wait(5)
    assert program.log_offset > 0 and not supervisor.started(program)
    with open(tmp_path / "cases-2.log", "a") as log:
        log.write("x INFO cases-2 ekm: cases-2 started; gRPC on 127.0.0.1:1 (pid 2)\n")
    assert supervisor.started(program)
    supervisor.wait_started(timeout=1, names=["cases-2"])


def test_served_lines_are_parsed_back():
    text = (
        "a INFO cases-2 ekm.instance: " + instance_stats.summary(Counter(grpc=12, events=3)) + "\n"
        "b INFO cases-2 ekm.instance: served: grpc=20 timers=1 (pid 77)\n"
    )
    first, last = instance_stats.parse(text)
    assert first["grpc"] == 12 and first["events"] == 3 and last == {"pid": 77, "grpc": 20, "timers": 1}
