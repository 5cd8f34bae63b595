from peers.views import conversation, coordinator, digest, member, supporter

app_name = "peers"

# Each role's module keeps its own routes beside its views.
urlpatterns = (
    member.urlpatterns
    + supporter.urlpatterns
    + coordinator.urlpatterns
    + conversation.urlpatterns
    + digest.urlpatterns
)
