"""The demo accounts shown to a new user: one list used by README.md (checked by a test)
and by `run_platform`, which prints it once the web server answers."""
from django.contrib.auth import get_user_model

DEMO_PASSWORD = "Demo-2026!"  # noqa: S105 (the documented password of the synthetic demo accounts)

# (role, username, what the account sees). Every username exists after `make demo`: all but
# dept_gaj after `load_demo` (also `--small`), dept_gaj after `load_gathering_demo`
# (risks/gatherings/demo.py); the enterprise one is the first generated USCC.
DEMO_ACCOUNTS = [
    ("安委办管理员 admin", "admin", "全县全部数据，账户与组织管理，/admin/"),
    ("县领导 leader (只读)", "leader", "全县数据，只读"),
    ("行业部门 department", "dept_yjj", "应急管理局主管行业（危化品、加油站、工贸）的企业和场所；应急资源、预案和事件的维护"),
    ("行业部门 department", "dept_gaj", "县公安局：大型群众性活动安全许可（向其提出的申请）"),
    ("乡镇 township", "township_01", "锁南镇的区域、企业和场所（township_01 … 每个乡镇一个）"),
    ("乡镇 township", "township_02", "达板镇"),
    ("网格员 grid worker", "grid_62292610020001", "锁南镇一个网格内的企业和场所"),
    ("企业 enterprise", "ent_91622926M00000001J", "本企业的信息和场所"),
    ("州安委办 prefecture", "pref_admin", "临夏州下各县的数据（只读），全州预警的起草、审批和发布"),
    ("第二个县的安委办管理员 admin", "gh_admin", "只看广河县（第二个演示县，示意边界）的数据"),
]


def ready_note(base_url: str) -> str:
    """Text printed by run_platform when the platform is up: where to go, how to log in."""
    existing = set(get_user_model().objects.filter(username__in=[u for _, u, _ in DEMO_ACCOUNTS])
                   .values_list("username", flat=True))
    rows = [(role, user, sees) for role, user, sees in DEMO_ACCOUNTS if user in existing]
    if not rows:
        return ""
    width = max(len(user) for _, user, _ in rows)
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}); log in at {base_url}/login/"]
    lines += [f"  {user:<{width}}  {role}: {sees}" for role, user, sees in rows]
    return "\n".join(lines)
